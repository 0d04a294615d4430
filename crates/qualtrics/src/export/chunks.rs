//! Reading on one thread what another thread unzips.
//!
//! Contract: [`ChunkReader::spawn`] runs a producer on a scoped thread that reads a source
//! (the unzipping reader of a zip member) to its end in chunks of [`CHUNK`] bytes and hands
//! them over a channel of [`DEPTH`] chunks; the [`ChunkReader`] reads them in order and
//! gives spent chunks back for reuse, so at most `DEPTH + 2` chunks exist at once, whatever
//! the file's size. The end of the input is only reported after the producer read its
//! source to the end (a zip member's CRC is checked there); a producer error is returned by
//! the read that reaches it. Dropping the reader stops the producer at its next chunk.

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::thread::Scope;

use super::csv::read_full;

/// Bytes per chunk.
const CHUNK: usize = 256 * 1024;

/// Chunks waiting in the channel.
const DEPTH: usize = 2;

enum Message {
    /// A buffer and how many of its bytes are data.
    Chunk(Vec<u8>, usize),
    /// The source was read to its end.
    End,
    Failed(io::Error),
}

/// The producer's side: reads a source into chunks.
pub(crate) struct Pump {
    tx: SyncSender<Message>,
    spent: Receiver<Vec<u8>>,
}

impl Pump {
    /// Sends `src` chunk by chunk; stops quietly when the reader went away.
    pub(crate) fn pump(&mut self, src: &mut dyn Read) -> io::Result<()> {
        loop {
            let mut buf = self.spent.try_recv().unwrap_or_else(|_| vec![0; CHUNK]);
            let n = read_full(src, &mut buf)?;
            if n == 0 || self.tx.send(Message::Chunk(buf, n)).is_err() {
                return Ok(());
            }
        }
    }
}

/// The reading side, a [`BufRead`] over the producer's chunks.
pub(crate) struct ChunkReader {
    rx: Receiver<Message>,
    spent: Sender<Vec<u8>>,
    current: Vec<u8>,
    len: usize,
    at: usize,
    ended: bool,
}

impl ChunkReader {
    /// Starts `produce` on a thread of `scope`; it reads its source through the [`Pump`].
    pub(crate) fn spawn<'scope, F>(scope: &'scope Scope<'scope, '_>, produce: F) -> ChunkReader
    where
        F: FnOnce(&mut Pump) -> io::Result<()> + Send + 'scope,
    {
        let (tx, rx) = sync_channel(DEPTH);
        let (spent_tx, spent_rx) = channel();
        let producer = move || {
            let mut pump = Pump {
                tx,
                spent: spent_rx,
            };
            let last = match produce(&mut pump) {
                Ok(()) => Message::End,
                Err(e) => Message::Failed(e),
            };
            // The reader may have gone away already (it stopped early): nothing to tell.
            let _ = pump.tx.send(last);
        };
        let named = std::thread::Builder::new().name("qualtrics-unzip".into());
        if let Err(e) = named.spawn_scoped(scope, producer) {
            // No thread (resource limits): the reader reports it at its first read.
            let (tx, rx) = sync_channel(1);
            let _ = tx.send(Message::Failed(io::Error::other(format!(
                "cannot start the unzipping thread: {e}"
            ))));
            return ChunkReader::over(rx, channel().0);
        }
        ChunkReader::over(rx, spent_tx)
    }

    fn over(rx: Receiver<Message>, spent: Sender<Vec<u8>>) -> ChunkReader {
        ChunkReader {
            rx,
            spent,
            current: Vec::new(),
            len: 0,
            at: 0,
            ended: false,
        }
    }
}

impl BufRead for ChunkReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at == self.len && !self.ended {
            if !self.current.is_empty() {
                // The producer may have finished; then the buffer is simply dropped.
                let _ = self.spent.send(std::mem::take(&mut self.current));
                (self.at, self.len) = (0, 0);
            }
            match self.rx.recv() {
                Ok(Message::Chunk(buf, len)) => {
                    self.current = buf;
                    self.len = len;
                    self.at = 0;
                }
                Ok(Message::End) => self.ended = true,
                Ok(Message::Failed(e)) => return Err(e),
                Err(_) => {
                    return Err(io::Error::other(
                        "the unzipping thread stopped before the end of the file",
                    ))
                }
            }
        }
        Ok(&self.current[self.at..self.len])
    }

    fn consume(&mut self, amt: usize) {
        self.at = (self.at + amt).min(self.len);
    }
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}
