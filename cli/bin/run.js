#!/usr/bin/env node
// The bundle `npm run build` writes (scripts/bundle-cli.mjs): oclif and the commands in a few files.
import '../dist/bundle/cli.mjs';
