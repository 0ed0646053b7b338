import WebSocket from 'ws';

/** A WebSocket client for tests that keeps every JSON message until a test takes it. */
export class TestSocket<Message> {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Messages received and not taken yet, oldest first. */
  readonly messages: Message[] = [];
  private readonly waiting: Array<{ take: () => void }> = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, options);
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message);
      for (const waiter of [...this.waiting]) waiter.take();
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (oldest first) that passes `test`, waiting for it if need be. */
  next(test: (message: Message) => boolean = () => true, timeoutMs = 3000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const waiter = {
        take: () => {
          const index = this.messages.findIndex(test);
          if (index < 0) return;
          clearTimeout(timer);
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          resolve(this.messages.splice(index, 1)[0]!);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error(`no such message; received: ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      this.waiting.push(waiter);
      waiter.take();
    });
  }
}
