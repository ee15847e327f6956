// FileIO on the local file system. Writes go to a temporary file first: a plain write renames
// it over the target (readers never see half a file); a create-if-absent write hard-links it
// to the target, which fails atomically when the target exists.
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../common/errors.js';
import { FileAlreadyExistsError, FileNotFoundError, type FileEntry, type FileIO, type WriteOptions } from './fileio.js';

/** `file:///a/b`, `file:/a/b` or `/a/b` → `/a/b`. */
export function localPath(location: string): string {
  if (location.startsWith('file:')) {
    if (location.startsWith('file://')) return fileURLToPath(location);
    return path.resolve(location.slice('file:'.length));
  }
  return path.resolve(location);
}

function wrap(e: unknown, location: string, what: string): Error {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new FileNotFoundError(location, { cause: e });
  if (code === 'EEXIST') return new FileAlreadyExistsError(location);
  return new ConnectorError(`Cannot ${what} ${location}: ${(e as Error)?.message ?? e}`, { cause: e });
}

export class LocalFileIO implements FileIO {
  readonly scheme = 'file';

  async read(location: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.readFile(localPath(location)));
    } catch (e) {
      throw wrap(e, location, 'read');
    }
  }

  async readRange(location: string, start: number, length: number): Promise<Uint8Array> {
    let fh: fs.FileHandle | undefined;
    try {
      fh = await fs.open(localPath(location), 'r');
      const buf = Buffer.alloc(length);
      let off = 0;
      while (off < length) {
        const { bytesRead } = await fh.read(buf, off, length - off, start + off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      return new Uint8Array(buf.buffer, buf.byteOffset, off);
    } catch (e) {
      throw wrap(e, location, 'read');
    } finally {
      await fh?.close();
    }
  }

  async size(location: string): Promise<number> {
    try {
      return (await fs.stat(localPath(location))).size;
    } catch (e) {
      throw wrap(e, location, 'stat');
    }
  }

  async write(location: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    const target = localPath(location);
    const dir = path.dirname(target);
    const tmp = path.join(dir, `.${path.basename(target)}.${randomUUID()}.tmp`);
    try {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(tmp, data);
      if (options.ifAbsent) {
        try {
          await fs.link(tmp, target);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
          // No hard links on this file system: an exclusive copy still fails when the target exists.
          await fs.copyFile(tmp, target, fsConstants.COPYFILE_EXCL);
        } finally {
          await fs.rm(tmp, { force: true });
        }
      } else {
        await fs.rename(tmp, target);
      }
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw wrap(e, location, 'write');
    }
  }

  async list(folder: string): Promise<FileEntry[]> {
    const dir = localPath(folder);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw wrap(e, folder, 'list');
    }
    const out: FileEntry[] = [];
    for (const d of entries) {
      if (d.name.startsWith('.') && d.name.endsWith('.tmp')) continue;
      const full = path.join(dir, d.name);
      let size = 0;
      let modifiedMs: number | undefined;
      if (d.isFile()) {
        const st = await fs.stat(full).catch(() => undefined);
        size = st?.size ?? 0;
        modifiedMs = st?.mtimeMs;
      }
      const loc = folder.endsWith('/') ? folder + d.name : `${folder}/${d.name}`;
      out.push({ location: loc, name: d.name, isDir: d.isDirectory(), size, modifiedMs });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async mkdirs(folder: string): Promise<void> {
    try {
      await fs.mkdir(localPath(folder), { recursive: true });
    } catch (e) {
      throw wrap(e, folder, 'create folder');
    }
  }

  async delete(location: string): Promise<void> {
    try {
      await fs.rm(localPath(location), { force: true });
    } catch (e) {
      throw wrap(e, location, 'delete');
    }
  }

  async deleteRecursive(folder: string): Promise<void> {
    try {
      await fs.rm(localPath(folder), { recursive: true, force: true });
    } catch (e) {
      throw wrap(e, folder, 'delete');
    }
  }

  async exists(location: string): Promise<boolean> {
    try {
      await fs.stat(localPath(location));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {}
}
