import { STATUS_CODES, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';

/** What Node's HTTP parser reports, and the status that says it. */
const STATUS_OF_PARSER_ERROR: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** The raw response to a request Node refused before any handler saw it. */
export function clientErrorResponse(code: string | undefined): string {
  const status = (code && STATUS_OF_PARSER_ERROR[code]) || 400;
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const body = JSON.stringify({ type: 'about:blank', title, status });
  return [
    `HTTP/1.1 ${status} ${title}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Requests Node's HTTP parser refuses (a request line and headers over its 16 KB limit, a
 * malformed request) never reach Express: Node answers them with an empty body. This
 * answers them as problem+json, as every other error.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error.code));
  });
}
