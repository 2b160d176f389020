export { createCore, type Core, type CoreOptions } from './core.js';
export { EventHub } from './events.js';
export { fetchHttpStack } from './connection/fetch-http-stack.js';
export type { HttpStack } from './connection/http-stack.js';
