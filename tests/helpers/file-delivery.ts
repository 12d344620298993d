// Real SessionDelivery implementations for tests, recording every call: FileDelivery writes each
// profile's keys into a temp credentials file with src/core/awsfiles (as `file` delivery does) and takes
// them back on withdraw; MemoryDelivery keeps them in a map, for tests about timing rather than files.
import type { Clock } from '../../src/core/platform/clock';
import { deliverToCredentialsFile, profileSection, readAwsFile, withdrawDelivery, type AwsDelivery, type AwsFilePaths } from '../../src/core/awsfiles';
import type { SessionCredentials } from '../../src/core/rolesanywhere';
import type { SessionDelivery } from '../../src/core/sessions/ports';
import { RolecallError, type ErrorCode } from '../../src/shared/errors';
import type { IoTracker } from './virtual-clock';

export interface DeliveryCall {
  readonly operation: 'deliver' | 'withdraw';
  readonly name: string;
  readonly accessKeyId?: string;
  readonly expiration?: string;
  /** Wall time of the clock when the call finished. */
  readonly at: number;
}

abstract class RecordingDelivery implements SessionDelivery {
  readonly calls: DeliveryCall[] = [];
  /** The next n deliveries fail with `failureCode` without writing anything. */
  failNext = 0;
  failureCode: ErrorCode = 'AWS_FILE_BUSY';

  constructor(
    protected readonly clock: Clock,
    private readonly io?: IoTracker,
  ) {}

  /** The access key id delivered for `name` now, if any. */
  abstract accessKeyHeld(name: string): Promise<string | undefined>;
  protected abstract write(name: string, credentials: SessionCredentials): Promise<void>;
  protected abstract remove(name: string): Promise<void>;

  deliver(name: string, credentials: SessionCredentials): Promise<void> {
    return this.track(async () => {
      if (this.failNext > 0) {
        this.failNext -= 1;
        throw new RolecallError(this.failureCode, 'simulated by the test delivery');
      }
      await this.write(name, credentials);
      this.calls.push({ operation: 'deliver', name, accessKeyId: credentials.accessKeyId, expiration: credentials.expiration, at: this.clock.now() });
    });
  }

  withdraw(name: string): Promise<void> {
    return this.track(async () => {
      await this.remove(name);
      this.calls.push({ operation: 'withdraw', name, at: this.clock.now() });
    });
  }

  async isDelivered(name: string, credentials: SessionCredentials): Promise<boolean> {
    return (await this.accessKeyHeld(name)) === credentials.accessKeyId;
  }

  deliveries(name?: string): DeliveryCall[] {
    return this.calls.filter((call) => call.operation === 'deliver' && (name === undefined || call.name === name));
  }

  private track(work: () => Promise<void>): Promise<void> {
    const running = work();
    return this.io === undefined ? running : this.io.track(running);
  }
}

export class FileDelivery extends RecordingDelivery {
  private readonly owned = new Map<string, AwsDelivery>();

  constructor(
    readonly paths: AwsFilePaths,
    clock: Clock,
    io?: IoTracker,
  ) {
    super(clock, io);
  }

  /** What the credentials file holds for `name`. */
  async accessKeyHeld(name: string): Promise<string | undefined> {
    const doc = await readAwsFile(this.paths.credentials);
    return doc.get(profileSection('credentials', name), 'aws_access_key_id');
  }

  protected async write(name: string, credentials: SessionCredentials): Promise<void> {
    this.owned.set(name, await deliverToCredentialsFile(this.paths, name, credentials, { owned: this.owned.get(name) ?? {} }));
  }

  protected async remove(name: string): Promise<void> {
    const owned = this.owned.get(name);
    if (owned !== undefined) this.owned.set(name, await withdrawDelivery(this.paths, name, owned));
  }
}

export class MemoryDelivery extends RecordingDelivery {
  private readonly held = new Map<string, string>();

  async accessKeyHeld(name: string): Promise<string | undefined> {
    return this.held.get(name);
  }

  protected async write(name: string, credentials: SessionCredentials): Promise<void> {
    this.held.set(name, credentials.accessKeyId);
  }

  protected async remove(name: string): Promise<void> {
    this.held.delete(name);
  }
}
