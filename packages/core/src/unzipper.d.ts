// The subset of unzipper 0.12 that the input layer uses (the package ships no types).
declare module 'unzipper' {
  import type { Readable } from 'node:stream';

  interface CentralDirectoryFile {
    path: string;
    type: 'File' | 'Directory';
    uncompressedSize: number;
    compressedSize: number;
    compressionMethod: number;
    stream(password?: string): Readable;
  }

  interface CentralDirectory {
    files: CentralDirectoryFile[];
  }

  const unzipper: {
    Open: {
      file(path: string): Promise<CentralDirectory>;
    };
  };
  export default unzipper;
}
