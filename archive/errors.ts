// What can be wrong with a run's archive on disk, as types the CLI and the loop can tell apart without reading messages.
// Every message is one line that names the file and says how to fix it.

/** archive.db, source.git or a variant's commit is unreadable or missing; nothing was changed on disk. */
export class ArchiveDamaged extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'ArchiveDamaged';
  }
}

/** archive.db was written by a newer Clade, whose schema this one does not know; nothing was changed on disk. */
export class ArchiveTooNew extends Error {
  constructor(
    readonly file: string,
    readonly version: number,
    readonly supported: number,
  ) {
    super(`${file} was written by a newer Clade (archive schema ${version}; this Clade knows up to ${supported}): upgrade Clade, or pass another --run`);
    this.name = 'ArchiveTooNew';
  }
}
