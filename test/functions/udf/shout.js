// A scalar JavaScript UDF with greet.js's name in another session: shout(name, times).
export default {
  kind: 'scalar',
  params: ['STRING', 'INT'],
  returns: 'STRING',
  eval(name, times) {
    if (name === null) return null;
    return `${name.toUpperCase()}${'?'.repeat(times ?? 0)}`;
  },
};
