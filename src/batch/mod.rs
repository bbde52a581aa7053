//! Batch work: every record of every input, worked on by every core, handed back in
//! input order. One thread reads, the others work, the caller's thread receives the
//! results in order; no barrier between chunks, and at most a window of records is
//! held in memory however long the input is.
//!
//! May use: `input`. The work done on each record is the caller's (the CLI renders
//! decisions; a server could do otherwise).

pub mod ordered;

use crate::input::{read_records, InputRecord};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Condvar, Mutex};

/// How a batch is spread over threads.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Threads that work on records (besides the reading and receiving threads).
    /// One means everything happens on the caller's thread, in order.
    pub workers: usize,
    /// The most records read ahead of the oldest one not yet handed back.
    pub window: usize,
}

impl Default for Options {
    /// One worker per core, and a window of 1,024 records.
    fn default() -> Self {
        Options {
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            window: 1024,
        }
    }
}

/// Reads every record of `paths` in order, gives each to `work` (on any thread), and
/// hands every result to `emit` (on the caller's thread) in input order. A panic in
/// `work` is a bug; the record still gets a result, from `on_panic` with the
/// record's input name. `emit` may stop the batch early (a closed pipe), after
/// which nothing more is read or worked on.
pub fn run<R: Send>(
    paths: &[String],
    options: Options,
    work: impl Fn(InputRecord) -> R + Sync,
    on_panic: impl Fn(&str) -> R + Sync,
    mut emit: impl FnMut(R) -> ControlFlow<()>,
) {
    let guarded = |record: InputRecord| {
        let input = record.input.clone();
        catch_unwind(AssertUnwindSafe(|| work(record))).unwrap_or_else(|_| on_panic(&input))
    };
    if options.workers <= 1 {
        let mut stopped = false;
        for path in paths {
            read_records(path, &mut |record| {
                if !stopped && emit(guarded(record)).is_break() {
                    stopped = true;
                }
            });
            if stopped {
                return;
            }
        }
        return;
    }

    let window = options.window.max(1);
    let stop = AtomicBool::new(false);
    // How many results the caller has received; the reader stays within a window.
    let received = (Mutex::new(0usize), Condvar::new());
    let (jobs_tx, jobs_rx) = sync_channel::<(usize, InputRecord)>(window);
    let jobs_rx = Mutex::new(jobs_rx);
    let (results_tx, results_rx) = sync_channel::<(usize, R)>(window);

    std::thread::scope(|scope| {
        let (stop, received, jobs_rx) = (&stop, &received, &jobs_rx);
        scope.spawn(move || {
            let mut next = 0usize;
            for path in paths {
                read_records(path, &mut |record| {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    wait_for_room(received, stop, next, window);
                    if jobs_tx.send((next, record)).is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    next += 1;
                });
                if stop.load(Ordering::Relaxed) {
                    break;
                }
            }
            // Dropping the sender tells the workers there is nothing more.
        });
        for _ in 0..options.workers {
            let results_tx = results_tx.clone();
            let guarded = &guarded;
            scope.spawn(move || {
                while let Some((seq, record)) = next_job(jobs_rx) {
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    if results_tx.send((seq, guarded(record))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(results_tx);

        // Receive in any order, hand back in input order.
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut next = 0usize;
        for (seq, result) in results_rx.iter() {
            if stop.load(Ordering::Relaxed) {
                continue;
            }
            pending.insert(seq, result);
            while let Some(result) = pending.remove(&next) {
                next += 1;
                let flow = emit(result);
                let (lock, ready) = received;
                // Under the lock, so a reader about to wait cannot miss the news.
                if let Ok(mut n) = lock.lock() {
                    *n = next;
                    if flow.is_break() {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                ready.notify_all();
                if flow.is_break() {
                    pending.clear();
                    break;
                }
            }
        }
        // Wake a reader still waiting for room, so it sees the stop.
        if let Ok(_n) = received.0.lock() {
            stop.store(true, Ordering::Relaxed);
        }
        received.1.notify_all();
    });
}

/// Blocks the reader while record `seq` would run more than `window` ahead of the
/// results handed back.
fn wait_for_room(received: &(Mutex<usize>, Condvar), stop: &AtomicBool, seq: usize, window: usize) {
    let (lock, ready) = received;
    let Ok(mut n) = lock.lock() else {
        return;
    };
    while seq >= *n + window && !stop.load(Ordering::Relaxed) {
        n = match ready.wait(n) {
            Ok(n) => n,
            Err(_) => return,
        };
    }
}

fn next_job<T>(jobs: &Mutex<Receiver<T>>) -> Option<T> {
    jobs.lock().ok()?.recv().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn jsonl(n: usize) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.jsonl");
        let mut f = std::fs::File::create(&path).expect("create");
        for i in 0..n {
            writeln!(
                f,
                r#"{{"id": "A-{i}", "submitted_at": "2026-03-02", "data_kind": "identifiable"}}"#
            )
            .expect("write");
        }
        (dir, path.to_string_lossy().into_owned())
    }

    fn ids(workers: usize, window: usize, n: usize) -> Vec<String> {
        let (_dir, path) = jsonl(n);
        let mut got = Vec::new();
        run(
            &[path],
            Options { workers, window },
            |r| r.result.map(|a| a.id).unwrap_or_default(),
            |_| "panic".to_string(),
            |id| {
                got.push(id);
                ControlFlow::Continue(())
            },
        );
        got
    }

    #[test]
    fn results_come_back_in_input_order_on_many_threads() {
        let want: Vec<String> = (0..2000).map(|i| format!("A-{i}")).collect();
        assert_eq!(ids(4, 8, 2000), want);
        assert_eq!(ids(1, 8, 50), want[..50].to_vec());
    }

    #[test]
    fn a_panic_gives_its_record_a_result_and_the_rest_go_on() {
        let (_dir, path) = jsonl(10);
        let mut got = Vec::new();
        run(
            &[path],
            Options {
                workers: 3,
                window: 4,
            },
            |r| {
                let id = r.result.map(|a| a.id).unwrap_or_default();
                assert_ne!(id, "A-3", "a deliberate bug");
                id
            },
            |input| format!("panic at {input}"),
            |id| {
                got.push(id);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(got.len(), 10);
        assert!(got[3].starts_with("panic at "), "{got:?}");
        assert_eq!(got[4], "A-4");
    }

    #[test]
    fn stopping_early_ends_the_batch() {
        let (_dir, path) = jsonl(5000);
        let mut got = 0;
        run(
            &[path],
            Options {
                workers: 2,
                window: 16,
            },
            |r| r.input,
            |i| i.to_string(),
            |_| {
                got += 1;
                if got == 3 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(got, 3);
    }
}
