// A scalar JavaScript UDF that refuses negative numbers.
export default {
  params: ['INT'],
  returns: 'INT',
  eval(x) {
    if (x < 0) throw new Error(`negative input ${x}`);
    return x * 2;
  },
};
