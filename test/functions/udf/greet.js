// A scalar JavaScript UDF: greet(name, times).
export default {
  kind: 'scalar',
  params: ['STRING', 'INT'],
  returns: 'STRING',
  eval(name, times) {
    if (name === null) return null;
    return `hello ${name}${'!'.repeat(times ?? 0)}`;
  },
};
