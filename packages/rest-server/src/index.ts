export { createRestApp } from './create-rest-app.js';
export type { RestApp, RestAppOptions } from './create-rest-app.js';
export { serveRest } from './serve-rest.js';
export type { RestServer, ServeRestOptions } from './serve-rest.js';
export { createRestMetrics } from './metrics.js';
export type {
  MetricsSnapshot,
  PiiAnalyzerSource,
  RestMetrics,
  RestMetricsOptions,
} from './metrics.js';
export { ROUTES } from './routes/index.js';
export { SYSTEM_ROUTES } from './system-routes.js';
export type { SystemRoute } from './system-routes.js';
export type { AnyRoute, RouteSpec, RouteTag } from './route.js';
export type { Caller } from './caller.js';
export { attachStateSockets, STATE_SOCKET_PATH } from './state-socket.js';
export type { StateSockets, StateSocketsOptions, StateSocketTuning } from './state-socket.js';
export { createMemxRoutes } from './memx-routes.js';
export type { MemxRoutesOptions } from './memx-routes.js';
export type { ConsoleOptions } from './console/console-options.js';
export type { SocketSessions } from './console/socket-sessions.js';
