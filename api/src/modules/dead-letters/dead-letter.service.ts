import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { badInput, forbidden, notFound } from '../../shared/app-error';
import { Role } from '../../shared/enums';
import { assertId } from '../../shared/ids';
import { audit } from '../audit/audit.service';
import { Execution } from '../executions/execution.entity';
import { requeue } from '../executions/store/execution.store';
import type { ExecutorService } from '../executions/placement/executor.service';
import { User } from '../users/user.entity';
import { DeadLetter } from './dead-letter.entity';

export class DeadLetterService {
  constructor(private readonly executor: ExecutorService) {}

  list(em: EntityManager, user: User): Promise<DeadLetter[]> {
    return em.find(DeadLetter, user.role === Role.ADMIN ? {} : { user: user.id }, {
      orderBy: { createdAt: 'desc' },
      limit: 500,
    });
  }

  // Puts the failed execution back to PENDING with fresh attempts and runs it now; the executor still
  // looks the order up at the broker first, so a replay cannot double an order that did go through.
  async replay(em: EntityManager, user: User, id: string): Promise<Execution> {
    const executionId = await em.transactional(async (tx) => {
      const letter = await tx.findOne(
        DeadLetter,
        { id: assertId(id), ...(user.role === Role.ADMIN ? {} : { user: user.id }) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!letter) throw notFound('Dead letter');
      // Replaying places an order: an admin sees every dead letter but replays only their own
      if (letter.user.id !== user.id) throw forbidden("Admins do not replay another user's orders");
      if (letter.replayedAt) throw badInput('This dead letter was already replayed');
      const execution = await tx.findOneOrFail(Execution, letter.execution.id, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
      });
      letter.replayedAt = new Date();
      requeue(execution);
      audit(tx, { actor: user, action: 'dead_letter.replay', entityType: 'execution', entityId: execution.id });
      return execution.id;
    });
    await this.executor.run(executionId);
    return em.fork().findOneOrFail(Execution, executionId);
  }
}
