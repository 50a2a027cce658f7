/**
 * Module boundaries (docs/architecture.md): a module is reached only through its index.ts.
 * Table files may import another module's table file, for foreign keys only.
 */
module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      comment: 'Import another module only through its index.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$', '^src/modules/[^/]+/[^/]+\\.tables\\.ts$'],
      },
    },
    {
      name: 'tables-only-from-tables',
      comment: "Another module's tables are reachable only from a table file (for foreign keys).",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '\\.tables\\.ts$' },
      to: { path: '^src/modules/([^/]+)/[^/]+\\.tables\\.ts$', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'outside-uses-index',
      comment: 'Code outside the modules reaches a module only through its index.ts.',
      severity: 'error',
      from: { path: '^src/(?!modules/)' },
      to: { path: '^src/modules/[^/]+/(?!index\\.ts$)', pathNot: '\\.tables\\.ts$' },
    },
    {
      name: 'contracts-are-pure',
      comment: 'src/contracts is shared with the web app: it imports nothing from the server.',
      severity: 'error',
      from: { path: '^src/contracts/' },
      to: { path: '^src/(?!contracts/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { pathNot: '\\.tables\\.ts$' } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
