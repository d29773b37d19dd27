export * from './model.js';
export * from './syscalls/index.js';
export * from './kernel.js';
export * from './api.js';
