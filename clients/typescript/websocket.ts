// `@keel/client/websocket`: the client for browsers and any runtime with a WHATWG WebSocket — the
// same KeelConnection (requests typed from generated/, every notification folded with core's
// reducer) over one WebSocket text frame per message.
export { connectWebSocket, type WebSocketKeel } from './websocket-connection.js';
export { KeelConnection, threadOf, type Incoming, type Notification, type NotificationOf, type RequestHandler, type ServerRequestHandler, type WireMessage } from './keel-connection.js';
export { KeelRpcError, METHOD_NOT_FOUND, SERVER_EXITED } from './rpc-error.js';
export { defaultAnswers } from './default-answers.js';
export { toWireThread } from './thread-view.js';
export type { ClientRequests, ServerNotifications, ServerRequests } from '../../generated/methods.js';
export type { ClientSettings } from '../../src/core/events.js';
export type { Thread, ThreadItem, ThreadStatus, Turn } from '../../generated/protocol.js';
export type { KeelState, ThreadState } from '../../src/core/state.js';
