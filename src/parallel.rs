//! Independent pieces of work (replications, parameter draws, batches of cycles) spread over
//! scoped threads, their results returned in the order of their indices, so that what is
//! computed never depends on how many threads computed it. The calling thread shows the
//! progress meanwhile, and is woken by the last piece rather than polling it out.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// Runs `work(thread, i)` for every i in 0..n on `threads` threads (each piece taken by the
/// next free thread; `thread` numbers the thread, for state a thread keeps between its
/// pieces). `progress` counts units of `total` as `work` reports them, shown as `what`.
pub fn run<T: Send>(
    n: usize,
    threads: usize,
    (what, total, progress): (&str, u64, &AtomicU64),
    work: impl Fn(usize, usize) -> T + Sync,
) -> Vec<T> {
    let results: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let mut bar = crate::progress::start(what, total);
    let main = std::thread::current();
    std::thread::scope(|s| {
        for thread in 0..threads.clamp(1, n.max(1)) {
            let (results, next, finished, work, main) = (&results, &next, &finished, &work, &main);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Relaxed);
                    if i >= n {
                        break;
                    }
                    let r = work(thread, i);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                    if finished.fetch_add(1, Relaxed) + 1 == n {
                        main.unpark();
                    }
                }
            });
        }
        while finished.load(Relaxed) < n {
            bar.set(progress.load(Relaxed));
            std::thread::park_timeout(std::time::Duration::from_millis(50));
        }
    });
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every piece is run once")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_in_index_order_on_any_thread_count() {
        let p = AtomicU64::new(0);
        for threads in [1, 2, 8, 100] {
            let v = run(37, threads, ("", 37, &p), |_, i| i * i);
            assert_eq!(v, (0..37).map(|i| i * i).collect::<Vec<_>>());
        }
        assert!(run(0, 4, ("", 0, &p), |_, i| i).is_empty());
    }
}
