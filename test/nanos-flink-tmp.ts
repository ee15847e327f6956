import { flinkPeer } from '/work/wt-nanos/test/peers/flink.js';
const r = await flinkPeer.start(() => {});
console.log(JSON.stringify(r.endpoint));
process.on('SIGTERM', async () => { await r.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
