// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import Electron; core, contract and host run in plain Node.' };
const noNodeBuiltins = nodeBuiltins.map((name) => ({
  name,
  message: 'The renderer and the contract reach the system only through the IPC contract, never through Node.',
}));

/** xmpp.js is reached only through the stream layer, and only through its packages' main exports. */
const xmppOutsideStream = {
  group: ['@xmpp/*'],
  message: 'Only the stream layer (electron/core/stream) imports xmpp.js; everything else goes through it.',
};
const xmppInnerPaths = {
  group: ['@xmpp/*/*'],
  message: "An inner path of an xmpp.js package is not its public API: import the package's main export.",
};

const noPrivateMembers = {
  selector: 'MemberExpression[computed=false][property.name=/^_/], MemberExpression[computed=true][property.value=/^_/]',
  message: "An underscore member is a library's private part (xmpp.js's, say): use its public API, or own the piece in Burrow.",
};
// A transport sets its class's prototype members (Socket, Parser), as xmpp.js's own transports do.
const noPatchedMethods = {
  selector:
    "AssignmentExpression[left.type='MemberExpression'][left.object.property.name!='prototype'][right.type=/^(FunctionExpression|ArrowFunctionExpression)$/]",
  message: "Replacing a method on an object patches the library's behaviour behind its back: subclass it, or own the piece in Burrow.",
};

/** The layering of DESIGN.md, enforced: which folder may import what. */
const layering = [
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [xmppOutsideStream] }] },
  },
  {
    files: ['electron/core/**', 'electron/host/**', 'lab/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [xmppOutsideStream] }] },
  },
  {
    files: ['electron/core/stream/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [xmppInnerPaths] }] },
  },
  {
    files: ['electron/core/**'],
    rules: { 'no-restricted-syntax': ['error', noPrivateMembers] },
  },
  {
    files: ['electron/core/stream/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', noPrivateMembers, noPatchedMethods] },
  },
  {
    files: ['electron/contract/**', 'electron/common/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, ...noNodeBuiltins], patterns: [xmppOutsideStream] }] },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...noNodeBuiltins],
          patterns: [
            {
              group: ['**/electron/core', '**/electron/core/**', '**/electron/main/**', '**/electron/host/**', '**/electron/preload/**', '**/lab/**'],
              message: 'The renderer may import only electron/contract and electron/common; everything else is reached through the contract.',
            },
            xmppOutsideStream,
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'test-results/**', 'playwright-report/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: reactHooks.configs.recommended.rules,
  },
  ...layering,
);
