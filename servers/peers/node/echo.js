#!/usr/bin/env node
// The Node.js peer of IoModels: a `net` echo server speaking the protocol of docs/protocol.md (framed and raw) with the server's
// command line (docs/cli.md#server). No npm dependencies. Run: node servers/peers/node/echo.js --port 0 [--framing raw]
'use strict';

const net = require('node:net');

const PROGRAM = 'echo.js';
const HEADER_SIZE = 4;
// Backpressure (docs/protocol.md#backpressure): a socket's write() returns false once this much output is queued; we then
// pause reading that peer until 'drain', so TCP flow control pushes back on a sender that does not read.
const OUTPUT_BUDGET = 64 * 1024;

function usageError(message) {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(2);
}

function parseOptions(args) {
  const names = ['--address', '--port', '--framing', '--max-frame', '--no-delay', '--backlog'];
  const values = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`usage: node echo.js [--address IP] [--port N] [--framing framed|raw] [--max-frame BYTES] [--no-delay true|false] [--backlog N]\n`);
      process.exit(0);
    }
    if (!arg.startsWith('--')) usageError(`unexpected argument '${arg}'; options are ${names.join(', ')}`);
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    let value = equals > 0 ? arg.slice(equals + 1) : undefined;
    if (!names.includes(name)) usageError(`unknown option '${name}'; options are ${names.join(', ')}`);
    if (value === undefined) {
      if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i];
      else if (name === '--no-delay') value = 'true';
      else usageError(`option '${name}' needs a value`);
    }
    if (values.has(name)) usageError(`option '${name}' is given twice`);
    values.set(name, value);
  }

  const number = (name, fallback, min, max) => {
    const text = values.get(name);
    if (text === undefined) return fallback;
    const value = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      usageError(`option '${name}': '${text}' is not a whole number from ${min} to ${max}`);
    }
    return value;
  };
  const choice = (name, fallback, valid) => {
    const text = values.get(name) ?? fallback;
    if (!valid.includes(text.toLowerCase())) usageError(`option '${name}': '${text}' is not valid; valid values: ${valid.join(', ')}`);
    return text.toLowerCase();
  };

  const address = values.get('--address') ?? '127.0.0.1';
  if (net.isIP(address) === 0) usageError(`option '--address': '${address}' is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0)`);
  return {
    address,
    port: number('--port', 7007, 0, 65535),
    framed: choice('--framing', 'framed', ['framed', 'raw']) === 'framed',
    maxFrame: number('--max-frame', 1048576, 0, 1 << 30),
    noDelay: choice('--no-delay', 'true', ['true', 'false']) === 'true',
    backlog: number('--backlog', 1024, 1, 65535),
  };
}

const options = parseOptions(process.argv.slice(2));
const sockets = new Set();
let protocolErrors = 0;

// Echoes `bytes` (whole messages, or anything in raw), pausing the peer when the output budget is spent.
function echo(socket, bytes) {
  if (!socket.write(bytes)) socket.pause();
}

// Framed: whole messages are echoed straight from the received chunk (a view, no copy); only a
// trailing partial message is kept, as a list of chunks joined once when it is complete.
function framedHandler(socket) {
  let parts = [];
  let have = 0;
  let need = 0; // the partial message's whole size, once its header is in

  // Echoes the whole messages at the start of `buffer`; returns the offset of the partial tail,
  // or -1 after a protocol violation (the socket is then destroyed).
  const echoWhole = (buffer) => {
    let at = 0;
    while (buffer.length - at >= HEADER_SIZE) {
      const length = buffer.readUInt32BE(at);
      if (length > options.maxFrame) {
        if (at > 0) socket.write(buffer.subarray(0, at));
        violate(length);
        return -1;
      }
      if (buffer.length - at - HEADER_SIZE < length) break;
      at += HEADER_SIZE + length;
    }
    if (at > 0) echo(socket, buffer.subarray(0, at));
    return at;
  };

  const violate = (length) => {
    protocolErrors++;
    process.stderr.write(`${PROGRAM}: warning: ${socket.remoteAddress}:${socket.remotePort} declared a ${length}-byte message, over max-frame ${options.maxFrame}; closing it\n`);
    socket.destroy();
  };

  return (chunk) => {
    let buffer = chunk;
    if (have > 0) {
      parts.push(chunk);
      have += chunk.length;
      if (need === 0 && have >= HEADER_SIZE) {
        const joined = Buffer.concat(parts, have);
        parts = [joined];
        const length = joined.readUInt32BE(0);
        if (length > options.maxFrame) return violate(length);
        need = HEADER_SIZE + length;
      }
      if (need === 0 || have < need) return;
      buffer = Buffer.concat(parts, have);
      parts = [];
      have = 0;
      need = 0;
    }

    const tail = echoWhole(buffer);
    if (tail < 0 || tail === buffer.length) return;
    // Copy the tail: keeping a view would pin the whole chunk until the message completes.
    const rest = Buffer.from(buffer.subarray(tail));
    parts = [rest];
    have = rest.length;
    if (have >= HEADER_SIZE) need = HEADER_SIZE + rest.readUInt32BE(0);
  };
}

const server = net.createServer({
  allowHalfOpen: true,
  noDelay: options.noDelay,
  highWaterMark: OUTPUT_BUDGET,
}, (socket) => {
  sockets.add(socket);
  socket.on('data', options.framed ? framedHandler(socket) : (chunk) => echo(socket, chunk));
  socket.on('drain', () => socket.resume());
  // Half-close: end() sends every queued echo, then the FIN. A partial message is simply dropped.
  socket.on('end', () => socket.end());
  // A reset peer: nothing left to echo to. The handler keeps the error from taking the process down.
  socket.on('error', () => socket.destroy());
  socket.on('close', () => sockets.delete(socket));
});

server.on('error', (error) => {
  const reason = error.code === 'EADDRINUSE' ? 'address already in use (pick another --port, or 0 for a free one)' : error.message;
  process.stderr.write(`${PROGRAM}: cannot listen on ${options.address}:${options.port}: ${reason}\n`);
  process.exit(2);
});

server.listen({ host: options.address, port: options.port, backlog: options.backlog }, () => {
  const { port } = server.address();
  process.stdout.write(`listening on ${options.address}:${port} model=node framing=${options.framed ? 'framed' : 'raw'} pid=${process.pid}\n`);
});

function stop() {
  server.close();
  for (const socket of sockets) socket.destroy();
  process.stderr.write(`${PROGRAM}: stopped; protocol-errors=${protocolErrors}\n`);
  process.exit(0);
}

process.on('SIGINT', stop);
process.on('SIGTERM', stop);
