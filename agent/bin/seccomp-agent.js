#!/usr/bin/env node
// The bundle `npm run build` makes (scripts/bundle-agent.mjs): what the image runs, and what the
// tests run, so that they test what ships.
import '../bundle/seccomp-agent.mjs';
