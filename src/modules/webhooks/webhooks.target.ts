import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a webhook may not reach unless the operator allows it (FEALTY_WEBHOOKS_ALLOW_PRIVATE=on):
 * a program's URL must not turn the server into a probe of its own network or of the cloud's
 * metadata service (169.254.169.254).
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of any IPv4, private ones included
] as const) blocked.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is private, loopback, link-local or otherwise not on the public Internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export const PRIVATE_TARGET = 'refused: the address is private, loopback or link-local (FEALTY_WEBHOOKS_ALLOW_PRIVATE=on allows it)';

/** Every address a host name resolves to (or the address itself); a name that does not resolve gives []. */
export async function addressesOf(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  return new Promise((resolve) => dnsLookup(bare, { all: true, verbatim: true }, (err, list: LookupAddress[]) => resolve(err ? [] : list.map((a) => a.address))));
}

/**
 * A DNS lookup for the HTTP client that fails on a private address, so that the address checked
 * is the address connected to: a name that resolved to a public address when the subscription
 * was made and to 127.0.0.1 at delivery (DNS rebinding) is refused at delivery.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (err, list: LookupAddress[]) => {
    if (err) return callback(err, '', 4);
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const e = Object.assign(new Error(`${hostname} resolves to ${bad.address}: ${PRIVATE_TARGET}`), { code: 'EPRIVATEADDRESS' });
      return callback(e, '', 4);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, l: LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
