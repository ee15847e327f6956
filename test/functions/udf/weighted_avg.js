// An aggregate JavaScript UDF: the average of v weighted by w (retractable).
export default {
  kind: 'aggregate',
  params: ['INT', 'INT'],
  returns: 'DOUBLE',
  create: () => ({ sum: 0, weight: 0 }),
  add(acc, v, w) {
    if (v === null || w === null) return acc;
    return { sum: acc.sum + v * w, weight: acc.weight + w };
  },
  retract(acc, v, w) {
    if (v === null || w === null) return acc;
    return { sum: acc.sum - v * w, weight: acc.weight - w };
  },
  result: (acc) => (acc.weight === 0 ? null : acc.sum / acc.weight),
};
