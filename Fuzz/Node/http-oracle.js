'use strict';
// Oracle for HTTPDifferentialFuzz: each input is one connection's bytes, given in one piece to
// Node's own request parser (llhttp, as node:http uses it: `_http_common`'s HTTPParser, strict,
// default limits). The answer is a JSON line {"messages":[[method, target, [name, value, ...],
// base64 body, [trailer name, value, ...]], ...], "refused": bool}, then a newline and the error
// code. Parsing stops after a message that upgrades the connection (Upgrade or CONNECT), as
// node:http hands the socket over there. Header bytes are read as UTF-8 (llhttp gives them as
// Latin-1 strings), as SESIOR's parser reads them.
const { HTTPParser, methods } = require('_http_common');
const { serve } = require('./oracle-protocol.js');

const utf8 = (latin1) => Buffer.from(latin1, 'latin1').toString('utf8');

serve((input) => {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, 0, 0);
  const messages = [];
  let pendingFields = [];
  let pendingURL = '';
  let current = null;
  let upgraded = false;
  parser[HTTPParser.kOnHeaders] = (fields, url) => {
    pendingFields.push(...fields);
    pendingURL += url;
  };
  parser[HTTPParser.kOnHeadersComplete] = (major, minor, fields, method, url, status, message, upgrade) => {
    if (fields === undefined) {
      fields = pendingFields;
      url = pendingURL;
    }
    pendingFields = [];
    pendingURL = '';
    current = { method: methods[method], url: utf8(url), fields: fields.map(utf8), body: [], upgrade };
    return 0;
  };
  parser[HTTPParser.kOnBody] = (chunk) => {
    current.body.push(Buffer.from(chunk));
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    const trailers = pendingFields.map(utf8);
    // As node:http's parserOnMessageComplete: trailers flushed in pieces (more than 32 fields)
    // come with the URL llhttp still holds from the head; it is dropped with them, or it would
    // prefix the next request's URL.
    if (trailers.length) pendingURL = '';
    pendingFields = [];
    messages.push([current.method, current.url, current.fields, Buffer.concat(current.body).toString('base64'), trailers]);
    if (current.upgrade) upgraded = true;
  };
  let code = '';
  const result = parser.execute(input);
  if (result instanceof Error && !upgraded) code = result.code;
  parser.close();
  return JSON.stringify({ messages, refused: code !== '' }) + '\n' + code;
});
