import winston from 'winston';
import { currentContext } from './request-context';
import { redact } from './redact';

// Adds the correlation id of the current request/alert and masks secrets before anything is written.
const contextAndRedaction = winston.format((info) => {
  const ctx = currentContext();
  const { level, message, ...rest } = info;
  const clean = redact(rest) as Record<string, unknown>;
  for (const key of Object.keys(rest)) delete (info as Record<string, unknown>)[key];
  Object.assign(info, clean, { level, message: redact(message) });
  if (ctx?.correlationId && !info.correlationId) info.correlationId = ctx.correlationId;
  if (ctx?.userId && !info.userId) info.userId = ctx.userId;
  return info;
});

export type Logger = winston.Logger;

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', stream?: NodeJS.WritableStream): Logger {
  // winston formats every message and leaves the level check to the transports: a debug line in a hot path
  // would cost a timestamp, redaction and JSON even at level warn. This drops it first.
  const enabled = winston.format((info) => (instance.isLevelEnabled(info.level) ? info : false));
  const instance = winston.createLogger({
    level,
    format: winston.format.combine(enabled(), winston.format.timestamp(), contextAndRedaction(), winston.format.json()),
    transports: [stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console()],
  });
  return instance;
}

export const logger = createLogger();
