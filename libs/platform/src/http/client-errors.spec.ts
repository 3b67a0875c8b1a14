import { clientErrorResponse } from './client-errors';

describe('a request Node refuses before any handler', () => {
  // The fuzzer's long cursors got an empty 431 with no content type.
  it('is answered as problem+json with the status that says why', () => {
    const response = clientErrorResponse('HPE_HEADER_OVERFLOW');
    const [head, body] = response.split('\r\n\r\n');
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 431 Request Header Fields Too Large',
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ]);
    expect(JSON.parse(body)).toEqual({
      type: 'about:blank',
      title: 'Request Header Fields Too Large',
      status: 431,
    });
  });

  it('is a 400 when the parser found the request malformed', () => {
    expect(clientErrorResponse('HPE_INVALID_METHOD')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
