/**
 * Boundaries of the web app (docs/web.md): it reaches the server only through src/contracts
 * (pure zod schemas); the console and the portal do not import each other; the portal stays
 * small for phones, so the console's heavy libraries are not allowed in it.
 */
// Run from web/: `npm run lint:boundaries` does.
module.exports = {
  forbidden: [
    {
      name: 'web-uses-contracts-only',
      comment: 'The web app may import from the server only its contracts.',
      severity: 'error',
      from: { path: '^(admin|portal|shared)/' },
      to: { path: '^\\.\\./src/', pathNot: '^\\.\\./src/contracts/' },
    },
    {
      name: 'console-and-portal-apart',
      comment: 'Share code through web/shared, not by importing the other app.',
      severity: 'error',
      from: { path: '^(admin|portal)/' },
      to: { path: '^(admin|portal)/', pathNot: '^$1/' },
    },
    {
      name: 'portal-stays-small',
      comment: 'Mantine, charts, the query builder and TanStack Query are for the console only.',
      severity: 'error',
      from: { path: '^(portal|shared)/' },
      to: { path: 'node_modules/(@mantine|recharts|react-querybuilder|@react-querybuilder|@tanstack|react-router)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
