// The baseline server: bare node:http, no framework, no database. Answers every request with a
// JSON object (serialised per request, as the API does) read from the file named in argv[3], or
// {"status":"ok"} without one. Used for the GET baseline and the cold-start baseline.
const http = require('node:http');
const { readFileSync } = require('node:fs');

const port = Number(process.argv[2]);
const body = process.argv[3] ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : { status: 'ok' };

http
  .createServer((req, res) => {
    const text = JSON.stringify(body);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  })
  .listen(port, '127.0.0.1');
