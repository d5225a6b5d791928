export * from "./catalog.js";
export * from "./connection.js";
export * from "./queues.js";
export * from "./workers.js";
export * from "./redis-connections.js";
