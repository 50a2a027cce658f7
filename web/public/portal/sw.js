// The portal's service worker: makes it installable and quick to reopen on a weak network.
// API answers are never cached (balances must be live); the app shell is network-first so a new
// release shows up at once, with the cached copy as the fallback when offline.
const CACHE = 'fealty-portal-v1';
const SHELL = '/portal/';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.add(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(SHELL, copy));
          return res;
        })
        .catch(() => caches.match(SHELL)),
    );
    return;
  }
  // Built assets have content hashes in their names: once cached, they never change.
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/portal/')) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              caches.open(CACHE).then((c) => c.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});

// Web Push (#12): the server sends `{id, title, body, url}` encrypted for this browser's
// subscription; show it, and open (or focus) the portal on a click. The tag is the message id,
// so a message the push service delivers twice shows once.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = data.title || 'Fealty';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      tag: data.id || undefined,
      icon: '/portal/icon-192.png',
      badge: '/portal/icon-192.png',
      data: { url: data.url || '/portal/inbox' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/portal/inbox', self.location.origin);
  // Only our own portal is opened, whatever the payload says.
  const url = target.origin === self.location.origin && target.pathname.startsWith('/portal/') ? target.href : new URL('/portal/inbox', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).pathname.startsWith('/portal/'));
      if (open) return open.focus().then((w) => (w && 'navigate' in w ? w.navigate(url) : w));
      return self.clients.openWindow(url);
    }),
  );
});

// The browser replaced the subscription (keys rotated, expired). Writes need the page's CSRF token,
// which a worker does not have: the portal re-sends the browser's subscription whenever the
// notification settings open (and the server drops a dead one on the push service's 404/410).
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((windows) => windows.forEach((w) => w.postMessage({ type: 'push-subscription-changed' }))));
});
