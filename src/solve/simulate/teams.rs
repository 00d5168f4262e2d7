//! Repair teams in the simulation: a failed unit of a team's component waits for a
//! repairer. Each failed unit carries its remaining repair work (drawn from its repair law
//! when it fails) and works it off at a speed the team's discipline gives: under `priority`
//! the components in the team's order take min(failed units, repairers left) repairers each,
//! shared equally among their failed units (preemptive, resuming); under `shared` every
//! failed unit gets min(1, size / failed) of a repairer. Whenever a team's failed set
//! changes, the work done since the last change is taken off at the old speeds and every
//! completion is scheduled again at the new ones. With exponential repair this is the
//! team's Markov chain of the analysis; with other laws it is what the analysis cannot do.

use super::system::{Item, Part, Sim};
use crate::model::{ComponentId, Discipline, Model};

struct TeamState {
    size: f64,
    /// None: repair crews, first come first served (a crew keeps its unit until it is done).
    discipline: Option<Discipline>,
    order: Vec<ComponentId>,
    /// Failed units (items), in the order they failed.
    failed: Vec<usize>,
}

pub struct Teams {
    teams: Vec<TeamState>,
    /// Per item: its team and component, for units of a team's component.
    slot: Vec<Option<(usize, ComponentId)>>,
    remaining: Vec<f64>,
    speed: Vec<f64>,
    last: Vec<f64>,
}

impl Teams {
    /// None when no simulated unit belongs to a team.
    pub fn new(model: &Model, sim: &Sim) -> Option<Teams> {
        let mut slot: Vec<Option<(usize, ComponentId)>> = sim
            .items
            .iter()
            .map(|it| match it {
                Item::Part(Part::Unit {
                    component: Some(c), ..
                }) => model.components[*c].team.map(|t| (t, *c)),
                _ => None,
            })
            .collect();
        let mut teams: Vec<TeamState> = model
            .teams
            .iter()
            .map(|t| TeamState {
                size: t.size as f64,
                discipline: Some(t.discipline),
                order: t.order.clone(),
                failed: Vec::new(),
            })
            .collect();
        // Copies with crews simulated unit by unit: a pool each.
        for (crews, units) in &sim.crews {
            let t = teams.len();
            teams.push(TeamState {
                size: *crews as f64,
                discipline: None,
                order: Vec::new(),
                failed: Vec::new(),
            });
            for &u in units {
                if let Item::Part(Part::Unit {
                    component: Some(c), ..
                }) = &sim.items[u]
                {
                    slot[u] = Some((t, *c));
                }
            }
        }
        if slot.iter().all(Option::is_none) {
            return None;
        }
        let n = sim.items.len();
        Some(Teams {
            teams,
            slot,
            remaining: vec![0.0; n],
            speed: vec![0.0; n],
            last: vec![0.0; n],
        })
    }

    pub fn is_team_unit(&self, i: usize) -> bool {
        self.slot[i].is_some()
    }

    /// Unit `i` failed at `now` with `work` hours of repair to do; returns the units whose
    /// completion times changed, each with its new time (infinite: waiting).
    pub fn fail(&mut self, i: usize, now: f64, work: f64, out: &mut Vec<(usize, f64)>) {
        let Some((t, _)) = self.slot[i] else { return };
        self.settle(t, now);
        self.remaining[i] = work;
        self.last[i] = now;
        self.speed[i] = 0.0;
        self.teams[t].failed.push(i);
        self.reschedule(t, now, out);
    }

    /// Unit `i`'s repair is done at `now`.
    pub fn repaired(&mut self, i: usize, now: f64, out: &mut Vec<(usize, f64)>) {
        let Some((t, _)) = self.slot[i] else { return };
        self.settle(t, now);
        self.teams[t].failed.retain(|&u| u != i);
        self.reschedule(t, now, out);
    }

    /// Takes the work done since the last change off every failed unit of team `t`.
    fn settle(&mut self, t: usize, now: f64) {
        for &u in &self.teams[t].failed {
            self.remaining[u] = (self.remaining[u] - (now - self.last[u]) * self.speed[u]).max(0.0);
            self.last[u] = now;
        }
    }

    fn reschedule(&mut self, t: usize, now: f64, out: &mut Vec<(usize, f64)>) {
        let team = &self.teams[t];
        let d = team.failed.len() as f64;
        match team.discipline {
            None => {
                for (pos, &u) in team.failed.iter().enumerate() {
                    self.speed[u] = if (pos as f64) < team.size { 1.0 } else { 0.0 };
                }
            }
            Some(Discipline::Shared) => {
                let s = (team.size / d).min(1.0);
                for &u in &team.failed {
                    self.speed[u] = s;
                }
            }
            Some(Discipline::Priority) => {
                let mut left = team.size;
                for &c in &team.order {
                    let mine: Vec<usize> = team
                        .failed
                        .iter()
                        .copied()
                        .filter(|&u| self.slot[u].is_some_and(|(_, cc)| cc == c))
                        .collect();
                    if mine.is_empty() {
                        continue;
                    }
                    let r = (mine.len() as f64).min(left);
                    left -= r;
                    let each = r / mine.len() as f64;
                    for u in mine {
                        self.speed[u] = each;
                    }
                }
            }
        }
        for &u in &self.teams[t].failed {
            let s = self.speed[u];
            out.push((
                u,
                if s > 0.0 {
                    now + self.remaining[u] / s
                } else {
                    f64::INFINITY
                },
            ));
        }
    }
}
