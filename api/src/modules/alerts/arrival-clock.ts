// The order in which this process accepted alerts, as executions.created_at: a microsecond clock that never repeats
// or goes back, stamped when an insert is sent (within a batch, in arrival order). PostgreSQL's now() is the same
// for every row of a batch, and two batches in flight can start in either order, so it cannot order them.
// Another api process stamps from its own clock, so two processes can stamp the same microsecond: an execution's
// place in its position's queue is (this time, id) (see claimNext in execution-claim.ts), and the rows of an
// insert still in flight must not be overtaken by later ones already committed: `oldestUnsettled` says from which
// time rows may still be missing, for one position (an insert in flight holds back only the positions it has rows
// of: another strategy's slow batch does not delay this one's claims) or for all.
export class ArrivalClock {
  private lastMicros = 0;
  private readonly unsettled = new Map<number, { first: string; positions?: ReadonlySet<string> }>();
  private nextTicket = 0;

  // n increasing timestamps (ISO text with microseconds)
  stamp(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      this.lastMicros = Math.max(this.lastMicros + 1, Date.now() * 1000);
      const ms = Math.floor(this.lastMicros / 1000);
      out.push(new Date(ms).toISOString().replace('Z', `${String(this.lastMicros % 1000).padStart(3, '0')}Z`));
    }
    return out;
  }

  // Runs an insert whose first row is stamped `first`, marking its rows (of `positions`, position keys; all when not
  // given) as possibly missing until it settles
  async track<T>(first: string, insert: () => Promise<T>, positions?: ReadonlySet<string>): Promise<T> {
    const ticket = this.nextTicket++;
    this.unsettled.set(ticket, { first, positions });
    try {
      return await insert();
    } finally {
      this.unsettled.delete(ticket);
    }
  }

  // The earliest stamp of an insert not yet committed (or failed) with rows of `position` (of any, when not given),
  // null when none is in flight
  oldestUnsettled(position?: string): string | null {
    let oldest: string | null = null;
    for (const { first, positions } of this.unsettled.values()) {
      if (position !== undefined && positions && !positions.has(position)) continue;
      if (oldest === null || first < oldest) oldest = first;
    }
    return oldest;
  }
}

export const arrivals = new ArrivalClock();
