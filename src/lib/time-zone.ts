/**
 * One Intl.DateTimeFormat per time zone and shape, built on first use and kept: building one
 * costs far more than using it (it was most of an event's CPU time on the write path).
 */
export function formatterPerZone(make: (timeZone: string) => Intl.DateTimeFormat): (timeZone: string) => Intl.DateTimeFormat {
  const cache = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let f = cache.get(timeZone);
    if (!f) cache.set(timeZone, (f = make(timeZone)));
    return f;
  };
}
