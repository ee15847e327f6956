// A consumer-group coordinator: the JoinGroup/SyncGroup rebalance protocol with generations,
// session timeouts, and committed offsets.
import { randomUUID } from 'node:crypto';

export const ERR = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_FETCH_SIZE: 4,
  LEADER_NOT_AVAILABLE: 5,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  INVALID_PRODUCER_ID_MAPPING: 49,
  CONCURRENT_TRANSACTIONS: 51,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  GROUP_ID_NOT_FOUND: 69,
  NON_EMPTY_GROUP: 68,
  UNSUPPORTED_SASL_MECHANISM: 33,
  SASL_AUTHENTICATION_FAILED: 58,
} as const;

export interface Protocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

interface Member {
  id: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  assignment: Buffer;
  joinWaiter?: (r: JoinResult) => void;
  syncWaiter?: (r: { errorCode: number; assignment: Buffer }) => void;
  sessionTimer?: NodeJS.Timeout;
}

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

export class Group {
  state: GroupState = 'Empty';
  generation = 0;
  protocolType = '';
  protocol = '';
  leader = '';
  readonly members = new Map<string, Member>();
  /** `topic\0partition` → committed offset. */
  readonly offsets = new Map<string, CommittedOffset>();
  private rebalanceTimer?: NodeJS.Timeout;
  private rebalanceDeadline = 0;

  constructor(
    readonly id: string,
    private readonly initialRebalanceDelayMs: number,
  ) {}

  join(req: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocolType: string;
    protocols: Protocol[];
  }): Promise<JoinResult> {
    const fail = (errorCode: number, memberId = req.memberId): Promise<JoinResult> =>
      Promise.resolve({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
    if (req.protocols.length === 0) return fail(ERR.INCONSISTENT_GROUP_PROTOCOL);
    if (this.members.size > 0 && this.protocolType && req.protocolType !== this.protocolType) return fail(ERR.INCONSISTENT_GROUP_PROTOCOL);
    let member: Member | undefined;
    if (req.memberId === '') {
      // A static member (group.instance.id) keeps its place; others get a new id.
      if (req.groupInstanceId) member = [...this.members.values()].find((m) => m.groupInstanceId === req.groupInstanceId);
      if (!member) {
        member = {
          id: `${req.clientId || 'member'}-${randomUUID()}`,
          groupInstanceId: req.groupInstanceId,
          clientId: req.clientId,
          clientHost: req.clientHost,
          sessionTimeoutMs: req.sessionTimeoutMs,
          rebalanceTimeoutMs: req.rebalanceTimeoutMs,
          protocolType: req.protocolType,
          protocols: req.protocols,
          assignment: Buffer.alloc(0),
        };
        this.members.set(member.id, member);
      }
    } else {
      member = this.members.get(req.memberId);
      if (!member) return fail(ERR.UNKNOWN_MEMBER_ID);
    }
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.protocolType = req.protocolType;
    if (this.members.size === 1 || !this.protocolType) this.protocolType = req.protocolType;
    if (member.joinWaiter) {
      // A repeated JoinGroup: the earlier one is answered with REBALANCE_IN_PROGRESS-like failure.
      member.joinWaiter({ errorCode: ERR.REBALANCE_IN_PROGRESS, generationId: -1, protocolName: '', leader: '', memberId: member.id, members: [] });
    }
    this.touch(member);
    const m = member;
    const p = new Promise<JoinResult>((resolve) => {
      m.joinWaiter = resolve;
    });
    if (this.state !== 'PreparingRebalance') this.prepareRebalance();
    else this.maybeCompleteJoin();
    return p;
  }

  private prepareRebalance(): void {
    const wasEmpty = this.state === 'Empty';
    if (this.state === 'CompletingRebalance') {
      for (const m of this.members.values()) {
        if (m.syncWaiter) {
          m.syncWaiter({ errorCode: ERR.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
          m.syncWaiter = undefined;
        }
      }
    }
    this.state = 'PreparingRebalance';
    clearTimeout(this.rebalanceTimer);
    if (wasEmpty) {
      // Give other members a moment to join the first generation together.
      this.rebalanceDeadline = Date.now() + this.initialRebalanceDelayMs;
      this.rebalanceTimer = setTimeout(() => this.completeJoin(), this.initialRebalanceDelayMs);
    } else {
      const timeout = Math.max(0, ...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
      this.rebalanceDeadline = 0;
      this.rebalanceTimer = setTimeout(() => this.completeJoin(), timeout);
      this.maybeCompleteJoin();
    }
  }

  private maybeCompleteJoin(): void {
    if (this.state !== 'PreparingRebalance') return;
    if (this.rebalanceDeadline > Date.now()) return; // initial delay still running
    for (const m of this.members.values()) if (!m.joinWaiter) return;
    this.completeJoin();
  }

  private completeJoin(): void {
    if (this.state !== 'PreparingRebalance') return;
    clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = undefined;
    this.rebalanceDeadline = 0;
    for (const m of [...this.members.values()]) if (!m.joinWaiter) this.remove(m);
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.generation++;
      this.protocol = '';
      this.leader = '';
      return;
    }
    const members = [...this.members.values()];
    const candidates = members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    this.generation++;
    if (candidates.length === 0) {
      for (const m of members) {
        m.joinWaiter?.({ errorCode: ERR.INCONSISTENT_GROUP_PROTOCOL, generationId: -1, protocolName: '', leader: '', memberId: m.id, members: [] });
        m.joinWaiter = undefined;
        this.remove(m);
      }
      this.state = 'Empty';
      return;
    }
    this.protocol = candidates[0];
    if (!this.members.has(this.leader)) this.leader = members[0].id;
    this.state = 'CompletingRebalance';
    for (const m of members) {
      const waiter = m.joinWaiter;
      m.joinWaiter = undefined;
      this.touch(m);
      waiter?.({
        errorCode: ERR.NONE,
        generationId: this.generation,
        protocolName: this.protocol,
        leader: this.leader,
        memberId: m.id,
        members:
          m.id === this.leader
            ? members.map((o) => ({ memberId: o.id, groupInstanceId: o.groupInstanceId, metadata: o.protocols.find((p) => p.name === this.protocol)!.metadata }))
            : [],
      });
    }
  }

  sync(req: { memberId: string; generationId: number; assignments: { memberId: string; assignment: Buffer }[] }): Promise<{ errorCode: number; assignment: Buffer }> {
    const member = this.members.get(req.memberId);
    const empty = Buffer.alloc(0);
    if (!member) return Promise.resolve({ errorCode: ERR.UNKNOWN_MEMBER_ID, assignment: empty });
    if (req.generationId !== this.generation) return Promise.resolve({ errorCode: ERR.ILLEGAL_GENERATION, assignment: empty });
    this.touch(member);
    if (this.state === 'PreparingRebalance') return Promise.resolve({ errorCode: ERR.REBALANCE_IN_PROGRESS, assignment: empty });
    if (this.state === 'Stable') return Promise.resolve({ errorCode: ERR.NONE, assignment: member.assignment });
    const p = new Promise<{ errorCode: number; assignment: Buffer }>((resolve) => {
      member.syncWaiter = resolve;
    });
    if (member.id === this.leader) {
      const given = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
      for (const m of this.members.values()) m.assignment = given.get(m.id) ?? empty;
      this.state = 'Stable';
      for (const m of this.members.values()) {
        const w = m.syncWaiter;
        m.syncWaiter = undefined;
        w?.({ errorCode: ERR.NONE, assignment: m.assignment });
      }
    }
    return p;
  }

  heartbeat(memberId: string, generationId: number): number {
    const member = this.members.get(memberId);
    if (!member) return ERR.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generation) return ERR.ILLEGAL_GENERATION;
    this.touch(member);
    if (this.state === 'PreparingRebalance') return ERR.REBALANCE_IN_PROGRESS;
    return ERR.NONE;
  }

  leave(memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return ERR.UNKNOWN_MEMBER_ID;
    this.remove(member);
    this.afterMembershipChange();
    return ERR.NONE;
  }

  /**
   * Checks a commit's member and generation, as Kafka's coordinator does: a simple commit
   * (generation -1) is accepted only while the group has no members.
   */
  checkCommit(memberId: string, generationId: number): number {
    if (generationId < 0 && this.members.size === 0) return ERR.NONE;
    if (this.state === 'CompletingRebalance') return ERR.REBALANCE_IN_PROGRESS;
    const member = this.members.get(memberId);
    if (!member) return ERR.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generation) return ERR.ILLEGAL_GENERATION;
    this.touch(member);
    return ERR.NONE;
  }

  private afterMembershipChange(): void {
    if (this.members.size === 0) {
      clearTimeout(this.rebalanceTimer);
      this.state = 'Empty';
      this.protocol = '';
      this.leader = '';
      this.generation++;
      return;
    }
    if (this.state === 'Stable' || this.state === 'CompletingRebalance') this.prepareRebalance();
    else this.maybeCompleteJoin();
  }

  private remove(m: Member): void {
    clearTimeout(m.sessionTimer);
    this.members.delete(m.id);
    if (m.joinWaiter) {
      m.joinWaiter({ errorCode: ERR.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leader: '', memberId: m.id, members: [] });
      m.joinWaiter = undefined;
    }
    if (m.syncWaiter) {
      m.syncWaiter({ errorCode: ERR.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
      m.syncWaiter = undefined;
    }
  }

  /** (Re)arms the member's session timer. */
  private touch(m: Member): void {
    clearTimeout(m.sessionTimer);
    m.sessionTimer = setTimeout(() => {
      if (!this.members.has(m.id)) return;
      if (m.joinWaiter || m.syncWaiter) {
        this.touch(m);
        return;
      }
      this.remove(m);
      this.afterMembershipChange();
    }, Math.max(1000, m.sessionTimeoutMs));
    m.sessionTimer.unref?.();
  }

  describe(): {
    state: GroupState;
    protocolType: string;
    protocol: string;
    members: { memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
  } {
    return {
      state: this.state,
      protocolType: this.protocolType,
      protocol: this.protocol,
      members: [...this.members.values()].map((m) => ({
        memberId: m.id,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === this.protocol)?.metadata ?? Buffer.alloc(0),
        assignment: m.assignment,
      })),
    };
  }

  shutdown(): void {
    clearTimeout(this.rebalanceTimer);
    for (const m of this.members.values()) clearTimeout(m.sessionTimer);
  }
}
