// Reading a whole SQL text from standard input (`tsstream run -`, `tsstream sql -f -`).

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
