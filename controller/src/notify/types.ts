// The notifier contract: one message for one canary, delivered or not; never an exception.

export type Severity = 'info' | 'warn' | 'error';

/** Same shape as the engine's alert fields. */
export interface AlertField {
  title: string;
  value: string;
}

export interface AlertMessage {
  canaryName: string;
  namespace: string;
  message: string;
  severity: Severity;
  fields: AlertField[];
}

/** `error` never contains the sink's URL, token or any other secret. */
export type NotifyResult = { ok: true } | { ok: false; error: string };

export interface Notifier {
  readonly type: string;
  /** Resolves with the outcome; a failing sink never throws into the caller's loop. */
  post(message: AlertMessage): Promise<NotifyResult>;
}
