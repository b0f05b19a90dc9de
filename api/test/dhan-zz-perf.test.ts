import { startTestApi } from './harness/test-api';
it('perf', async () => {
  const api = await startTestApi({ DHAN_INSTRUMENTS_URL: '/tmp/big-master.csv' });
  try {
    const t = Date.now();
    const r = await api.services.instrumentMaster.refresh();
    console.log('first', r, Date.now() - t);
    const t2 = Date.now();
    const r2 = await api.services.instrumentMaster.refresh();
    console.log('second', r2, Date.now() - t2);
  } finally { await api.close(); }
}, 300000);
