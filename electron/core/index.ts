export { createCore, type Core, type CoreOptions } from './core.js';
export { EventHub } from './events.js';
