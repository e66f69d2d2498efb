#!/usr/bin/env node
// The hamstudio CLI: runs the TypeScript sources directly through tsx, so no build step stands between
// `npm install` and a working command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
