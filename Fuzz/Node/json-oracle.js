'use strict';
// Oracle for JSONDifferentialFuzz: each input is decoded as UTF-8 (refused if it is not valid
// UTF-8, as a byte-oriented JSON reader must decide) and given to JSON.parse; the answer is
// "O" + JSON.stringify(value), or "E" + the reason it was refused.
const { serve } = require('./oracle-protocol.js');

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

serve((input) => {
  let text;
  try {
    text = utf8.decode(input);
  } catch {
    return 'Einvalid UTF-8';
  }
  try {
    return 'O' + JSON.stringify(JSON.parse(text));
  } catch (error) {
    return 'E' + error.message;
  }
});
