#!/usr/bin/env node
// npm puts the project's Node 24 (the `node` devDependency) first on PATH for npx and npm scripts, and Node 24
// runs the TypeScript sources directly.
import "../src/cli.ts";
