import { processSecrets, type Secrets } from './secrets.js';

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogSink = (level: LogLevel, message: string) => void;

/** Logs go to stderr (stdout belongs to JSON-RPC), scrubbed of secrets; a sink can mirror them to the MCP client. */
export class Logger {
  private readonly sinks = new Set<LogSink>();
  private readonly threshold: number;

  constructor(
    level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly secrets: Secrets = processSecrets,
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.threshold;
  }

  log(level: LogLevel, message: string): void {
    // A line nobody reads is not scrubbed: a debug line per request would otherwise cost a scrub each.
    if (!this.enabled(level) && this.sinks.size === 0) return;
    const clean = this.secrets.scrub(message);
    if (this.enabled(level)) this.write(`yemot-mcp ${level}: ${clean}\n`);
    for (const sink of this.sinks) sink(level, clean);
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warn(message: string): void {
    this.log('warning', message);
  }
  error(message: string): void {
    this.log('error', message);
  }

  /**
   * A logger for one MCP session (or one tenant, with its own secrets): its lines go to stderr like this one's,
   * and to its own sinks only. Lines logged here (outside any session) reach no session: one client never sees
   * another's log lines.
   */
  child(secrets: Secrets = this.secrets): Logger {
    return new Logger(LOG_LEVELS[this.threshold], this.write, secrets);
  }

  /** Mirror every line to a sink (the MCP logging channel); returns a detach function. */
  attach(sink: LogSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
}
