// A table JavaScript UDF: one row (word, length) per word of a string.
export default {
  kind: 'table',
  params: ['STRING'],
  returns: 'ROW<word STRING, len INT>',
  *eval(s) {
    if (s === null) return;
    for (const w of s.split(' ')) if (w) yield { word: w, len: w.length };
  },
};
