// The one classifier of dropped PostgreSQL connections lives in the SDK, so the paper plugin's pool uses it too
export { isDatabaseConnectionLost, logIdleConnectionError } from '@algodatta/broker-sdk';
