/**
 * Store.exclusively (issue 9): a periodic job (a directory pull, say) runs on one node at a time. On
 * PostgreSQL two stores — two nodes — on one database; on SQLite the in-process guard.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dialects, freshDatabaseUrl } from '../support/databases.js';
import { openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';

for (const dialect of dialects) {
  describe(`exclusive jobs (${dialect})`, () => {
    it('a job busy on one node is skipped on the other, and runs again once finished; other jobs are unaffected', async () => {
      const url = await freshDatabaseUrl(dialect);
      const first = new Store(openDatabase(url));
      const second = dialect === 'postgres' ? new Store(openDatabase(url)) : first;
      try {
        let release!: () => void;
        const holding = first.exclusively('pull:jumpcloud:dir_1', () => new Promise<string>((resolve) => (release = () => resolve('done'))));
        await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(await second.exclusively('pull:jumpcloud:dir_1', async () => 'twice'), { ran: false });
        assert.deepEqual(await second.exclusively('pull:jumpcloud:dir_2', async () => 'other'), { ran: true, value: 'other' });
        release();
        assert.deepEqual(await holding, { ran: true, value: 'done' });
        assert.deepEqual(await second.exclusively('pull:jumpcloud:dir_1', async () => 'later'), { ran: true, value: 'later' });
        // a job that throws releases its lock
        await assert.rejects(first.exclusively('pull:jumpcloud:dir_1', async () => { throw new Error('pull failed'); }), /pull failed/);
        assert.deepEqual(await second.exclusively('pull:jumpcloud:dir_1', async () => 'after failure'), { ran: true, value: 'after failure' });
      } finally {
        await first.close();
        if (second !== first) await second.close();
      }
    });
  });
}
