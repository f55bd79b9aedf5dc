// The layer rules of ../shared/ARCHITECTURE.md ("Source layout and the rule that keeps it"), checked
// by `npm run lint:deps` (part of `npm run lint`). Arrows point down: platform knows no domain; each
// domain may import platform, its own folder and the folders listed for it below; src/app/ (the
// composition root) puts them together; src/cli/ starts processes; src/sim/ is a stranger.
/** @type {import('dependency-cruiser').IConfiguration} */

// Each domain folder under src/ and the domain folders it may use. A new domain is one line here.
const domains = {
  audit: [],
  identity: ['audit'],
  directory: ['audit', 'identity'],
  alerts: ['audit', 'identity', 'directory'],
  public: ['audit', 'identity', 'directory', 'alerts'],
  console: [],
};

// Tests and their helpers (beside the code, or in test/) may also start the whole system.
const testFile = '(\\.test\\.ts$|[.-]test-support\\.ts$|^test/)';
const testOnly = '(^test/|^bench/|\\.test\\.ts$|[.-]test-support\\.ts$)';
const domainNames = Object.keys(domains);

const domainRules = Object.entries(domains).map(([domain, uses]) => ({
  name: `layer-${domain}`,
  severity: 'error',
  comment: `src/${domain}/ may import only platform${uses.length ? `, ${uses.join(', ')}` : ''} and itself.`,
  from: { path: `^src/${domain}/`, pathNot: testFile },
  to: {
    path: '^src/',
    pathNot: `^src/(platform|${[domain, ...uses].join('|')})/`,
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-knows-no-domain',
      severity: 'error',
      comment:
        "src/platform/ is plumbing: it imports no domain, nor the composition root. A domain's work reaches it as a function or interface from src/app/.",
      from: { path: '^src/platform/', pathNot: testFile },
      to: { path: '^src/', pathNot: '^src/platform/' },
    },
    ...domainRules,
    {
      name: 'unknown-src-folder',
      severity: 'error',
      comment: `Every folder of src/ has a rule: add a new domain to the domains table in .dependency-cruiser.cjs.`,
      from: { path: '^src/', pathNot: `^src/(platform|app|cli|sim|${domainNames.join('|')})/` },
      to: {},
    },
    {
      name: 'composition-root-on-top',
      severity: 'error',
      comment: 'Only src/cli/ (and tests and benchmarks) import src/app/, the composition root.',
      from: { path: '^src/', pathNot: `(^src/(app|cli)/|${testFile})` },
      to: { path: '^src/app/' },
    },
    {
      name: 'cli-is-an-entry-point',
      severity: 'error',
      comment: 'src/cli/ holds command entry points; nothing in src/ imports them.',
      from: { path: '^src/', pathNot: `(^src/cli/|${testFile})` },
      to: { path: '^src/cli/' },
    },
    {
      name: 'sim-is-a-stranger',
      severity: 'error',
      comment:
        "src/sim/ stands for the providers' own servers: it imports nothing from src/ outside src/sim/, so product and simulator check each other.",
      from: { path: '^src/sim/', pathNot: testFile },
      to: { path: '^(src/(?!sim/)|test/|bench/)' },
    },
    {
      name: 'sim-tests-use-no-product-code',
      severity: 'error',
      comment: "The simulator's own tests may use test/support/ helpers, not product code.",
      from: { path: '^src/sim/.+\\.test\\.ts$' },
      to: { path: '^src/(?!sim/)' },
    },
    {
      name: 'no-test-code-in-the-product',
      severity: 'error',
      comment: 'Nothing in src/ imports bench/, test/, a test or a *.test-support.ts file, except tests.',
      from: { path: '^src/', pathNot: testFile },
      to: { path: testOnly },
    },
    {
      name: 'console-uses-server-types-only',
      severity: 'error',
      comment:
        'The operator console (web/) runs in the browser: from the server it takes types only (import type), never code.',
      from: { path: '^web/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^web/dist/|^web/\\.dist-' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
