#!/usr/bin/python3
"""Trains samaudio-mini. Fixed seeds, checkpoints every --ckpt-every steps, resumes automatically from --ckpt-dir.

usage: train.py [--data DIR] [--ckpt-dir DIR] [--steps N | --budget-seconds S] [--batch B] ...
DIR holds library_train.npz (int16 or mu-law uint8), library_test.npz, caption_embeddings.json (from the embedder
tool) and captions.json. Uses CUDA when present. The batch for step k is generated from seed (seed, k), so an
interrupted run resumes with exactly the data it would have seen.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

from mixing import BED_CLASSES, Library, make_batch, make_field_batch
from model import Separator, separate

HERE = os.path.dirname(os.path.abspath(__file__))
JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"


def with_jemalloc():
    """Re-runs this process under jemalloc that never returns freed pages to the system, when it is installed.
    glibc's malloc maps every tensor above 32 MB afresh and unmaps it when freed, and on this VM the page faults of
    that fresh memory dominated: one element-wise op on a [64, 64000] int64 tensor took 36-66 ms, 1-5 ms with
    jemalloc; a mixture batch took 1.0-1.4 s to make, 0.25 s with it. A step of run 10's recipe went from 0.94 to
    0.68-0.84 s, one of run 13's (frozen network, two blocks trained) from 1.5 to 0.56 s. The allocator changes no
    value: the losses of the first 150 steps were the same to the printed digit."""
    if os.path.exists(JEMALLOC) and JEMALLOC not in os.environ.get("LD_PRELOAD", ""):
        env = dict(os.environ, LD_PRELOAD=JEMALLOC, MALLOC_CONF="dirty_decay_ms:-1,muzzy_decay_ms:-1")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


def si_sdr(est, ref, eps=1e-8):
    ref = ref - ref.mean(-1, keepdim=True)
    est = est - est.mean(-1, keepdim=True)
    proj = (est * ref).sum(-1, keepdim=True) / (ref.pow(2).sum(-1, keepdim=True) + eps) * ref
    return 10 * torch.log10(proj.pow(2).sum(-1) / ((est - proj).pow(2).sum(-1) + eps) + eps)


def loss_fn(est, target, mixture, absent):
    """Present: negative SNR with a 30 dB soft ceiling. Absent: target energy relative to the mixture, floor -25 dB."""
    t_energy = target.pow(2).sum(-1)
    m_energy = mixture.pow(2).sum(-1) + 1e-8
    absent = absent | (t_energy < 1e-6 * m_energy)
    snr = 10 * torch.log10(t_energy / ((target - est).pow(2).sum(-1) + 1e-3 * t_energy + 1e-9) + 1e-9)
    # floor at -25 dB and half weight: a stronger absent term drives every mask into the saturated sigmoid corner
    # (all-zero masks), seen in the first GPU run
    leak = 10 * torch.log10(est.pow(2).sum(-1) / m_energy + 10 ** -2.5)
    loss = torch.where(absent, 0.5 * leak, -snr)
    return loss.mean(), snr[~absent].mean() if (~absent).any() else snr.new_zeros(()), leak[absent].mean() if absent.any() else leak.new_zeros(())


def captions_path(data_dir):
    path = os.path.join(data_dir, "captions.json")
    return path if os.path.exists(path) else os.path.join(HERE, "captions.json")


class Captions:
    def __init__(self, data_dir, names, limit=0):
        emb = json.load(open(os.path.join(data_dir, "caption_embeddings.json")))
        caps = json.load(open(captions_path(data_dir)))
        index = {c: i for i, c in enumerate(emb["captions"])}
        self.vectors = torch.tensor(emb["embeddings"], dtype=torch.float32)
        self.vectors = torch.nn.functional.normalize(self.vectors, dim=1)  # already unit length; guards rounding
        self.train = [[index[c] for c in caps[n]["train"][:limit or None]] for n in names]
        self.heldout = [[index[c] for c in caps[n]["heldout"]] for n in names]
        self.index = index

    def augment(self, emb, prompt, rng, mix, noise):
        """Prompt embeddings off the exact caption points, so that unseen wording of a class lands on learned ground:
        a share `mix` become a random blend with another caption of the same class, then all get isotropic noise of
        norm `noise`; the result is unit length again, like every MiniLM embedding."""
        blend = rng.random(len(prompt)) < mix
        other = self.vectors[[self.train[c][rng.integers(len(self.train[c]))] for c in prompt]].to(emb.device)
        weight = torch.from_numpy(np.where(blend, rng.uniform(0, 1, len(prompt)), 0.0)).float().to(emb.device)[:, None]
        jitter = torch.from_numpy(rng.standard_normal(emb.shape)).float().to(emb.device)
        jitter = noise * torch.nn.functional.normalize(jitter, dim=1)
        return torch.nn.functional.normalize((1 - weight) * emb + weight * other + jitter, dim=1)


def evaluate(model, lib, captions, device, batch=25, seed=424242):
    """Fixed held-out mixtures generated from the test split (no augmentation): SI-SDRi (seen / held-out captions)
    and the absent-prompt target energy relative to the mixture."""
    model.eval()
    rng = np.random.default_rng(seed)
    targets = np.repeat(lib.present, 1)
    results = {"seen": [], "heldout": [], "absent": []}
    with torch.no_grad():
        for start in range(0, len(targets), batch):
            t = targets[start:start + batch]
            mix, ref, _, _, members = make_batch(lib, rng, len(t), seconds=4.0, augment=False, absent=0.0, targets=t)
            base = si_sdr(mix, ref)
            for key, pool in (("seen", captions.train), ("heldout", captions.heldout)):
                emb = captions.vectors[[pool[c][0] for c in t]].to(device)
                results[key] += (si_sdr(separate(model, mix, emb), ref) - base).tolist()
            other = [next(c for c in np.roll(lib.present, -(i * 7 + 3)) if c not in members[i]) for i in range(len(t))]
            emb = captions.vectors[[captions.train[c][0] for c in other]].to(device)
            est = separate(model, mix, emb)
            results["absent"] += (10 * torch.log10(est.pow(2).sum(-1) / mix.pow(2).sum(-1) + 1e-10)).tolist()
    model.train()
    return {k: float(np.mean(v)) for k, v in results.items()}


def event_spans(ref, frame=1600, below_db=40.0):
    """[B, N] -> 0/1 weights of the 100 ms frames whose energy is within `below_db` of the loudest frame of the row."""
    frames = ref[:, : ref.shape[1] // frame * frame].reshape(ref.shape[0], -1, frame).pow(2).sum(-1)
    keep = (frames > frames.amax(1, keepdim=True) * 10 ** (-below_db / 10)).float()
    weights = keep.repeat_interleave(frame, dim=1)
    return torch.nn.functional.pad(weights, (0, ref.shape[1] - weights.shape[1]))


def evaluate_field(model, lib, captions, device, count=60, batch=6, seconds=10.0, seed=515151):
    """Fixed field windows from the test split (no augmentation; make_field_batch): beds, 1-3 occurrences of the
    target, distractors. SI-SDRi of the target over the whole window (the events and the silence between them), and
    the absent-prompt energy relative to the mixture for a class in none of the window's slots. SI-SDRi is taken over
    the target's events only (event_spans), as the soundscape evaluation scores a recording: over a whole window, the
    silence between events would reward any attenuation."""
    model.eval()
    rng = np.random.default_rng(seed)
    events = [c for c in lib.present if lib.names[c] not in BED_CLASSES]
    targets = np.array([events[i % len(events)] for i in range(count)])
    gains, leaks = [], []
    with torch.no_grad():
        for start in range(0, count, batch):
            t = targets[start:start + batch]
            mix, ref, _, _, members = make_field_batch(lib, rng, len(t), seconds=seconds, augment=False, absent=0.0,
                                                       bed_prompt=0.0, targets=t)
            emb = captions.vectors[[captions.train[c][0] for c in t]].to(device)
            spans = event_spans(ref)
            gains += (si_sdr(separate(model, mix, emb) * spans, ref * spans) - si_sdr(mix * spans, ref * spans)).tolist()
            other = [next(c for c in np.roll(lib.present, -(start + i) * 7 - 3) if c not in members[i]) for i in range(len(t))]
            emb = captions.vectors[[captions.train[c][0] for c in other]].to(device)
            est = separate(model, mix, emb)
            leaks += (10 * torch.log10(est.pow(2).sum(-1) / mix.pow(2).sum(-1) + 1e-10)).tolist()
    model.train()
    return {"field": float(np.mean(gains)), "field_absent": float(np.mean(leaks))}


def main():
    with_jemalloc()
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(HERE, "work"))
    parser.add_argument("--ckpt-dir", default=os.path.join(HERE, "work", "ckpt"))
    parser.add_argument("--steps", type=int, default=0, help="total steps (0: derive from --budget-seconds)")
    parser.add_argument("--budget-seconds", type=float, default=0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--ckpt-every", type=int, default=200)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--channels", type=int, default=192, help="model width (128 trades quality for ~2x CPU speed)")
    parser.add_argument("--hidden", type=int, default=384)
    parser.add_argument("--stride", type=int, default=4, help="STFT frames per feature frame (2: twice the cost)")
    parser.add_argument("--floor", type=float, default=0.03, help="lowest mask value (0.03: -30 dB)")
    parser.add_argument("--long-every", type=int, default=2, help="every Nth step uses --long-seconds windows (0: never)")
    parser.add_argument("--long-seconds", type=float, default=10.0, help="the product's window length: sparse events as the pipeline sees them")
    parser.add_argument("--long-batch", type=int, default=0, help="batch of the long steps (0: same audio per step as the short ones)")
    parser.add_argument("--field", type=float, default=0.0,
                        help="share of steps made of field windows (make_field_batch: beds, sparse events, absent targets)")
    parser.add_argument("--field-seconds", type=float, default=10.0)
    parser.add_argument("--field-batch", type=int, default=6)
    parser.add_argument("--field-absent", type=float, default=0.25, help="share of field windows whose prompt names no sound in them")
    parser.add_argument("--bed-prompt", type=float, default=0.1, help="share of field windows whose prompt names the bed")
    parser.add_argument("--pad-tail", type=float, default=0.1, help="share of mixtures whose end is zeroed, as the pipeline pads a last window")
    parser.add_argument("--keep-evals", action="store_true", help="keep the EMA weights of every evaluation (ema_STEP.pt)")
    parser.add_argument("--encoder-blocks", type=int, default=6)
    parser.add_argument("--decoder-blocks", type=int, default=4)
    parser.add_argument("--init", default="", help="weights-only snapshot to start from (model.pt of an earlier run)")
    parser.add_argument("--grow", default="", help="with --init: append refinement blocks of these dilations (e.g. 16,1) "
                        "after the decoder, zero-initialised so that the grown network starts as the --init one")
    parser.add_argument("--freeze-base", action="store_true",
                        help="train only the refinement blocks: the grown-from network stays as it was (its dropout off)")
    parser.add_argument("--absent", type=float, default=0.15, help="share of prompts naming a class not in the mixture")
    parser.add_argument("--absent-after", type=float, default=0.3, help="fraction of the run before absent prompts start")
    parser.add_argument("--reverb", type=float, default=0.0, help="share of sources passed through a synthetic room")
    parser.add_argument("--peaks", type=float, default=0.0, help="chance of each of two random +-8 dB equaliser peaks per source")
    parser.add_argument("--caption-mix", type=float, default=0.0,
                        help="share of prompts embedded as a random blend of two captions of the class (between paraphrases)")
    parser.add_argument("--caption-noise", type=float, default=0.0, help="norm of random noise added to prompt embeddings")
    parser.add_argument("--pair", type=float, default=0.0, help="share of targets summed with another clip of their class")
    parser.add_argument("--dropout", type=float, default=0.0, help="dropout inside every block (training only)")
    parser.add_argument("--weight-decay", type=float, default=1e-2)
    parser.add_argument("--train-captions", type=int, default=0,
                        help="use only the first N training captions of each class (4: the pool of runs 1-4; 0: all)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(args.seed)
    caps = json.load(open(captions_path(args.data)))
    groups = {n: caps[n]["group"] for n in caps}
    train_lib = Library(os.path.join(args.data, "library_train.npz"), groups, device)
    test_lib = Library(os.path.join(args.data, "library_test.npz"), groups, device)
    captions = Captions(args.data, train_lib.names, args.train_captions)
    config = {"channels": args.channels, "hidden": args.hidden, "stride": args.stride, "floor": args.floor,
              "encoder_dilations": (1, 2, 4, 8, 16, 1, 2, 4)[:args.encoder_blocks], "decoder_dilations": (1, 2, 4, 8, 1, 2)[:args.decoder_blocks]}
    os.makedirs(args.ckpt_dir, exist_ok=True)
    ckpt_path = os.path.join(args.ckpt_dir, "last.pt")
    resume = torch.load(ckpt_path, map_location=device) if os.path.exists(ckpt_path) else None
    init = torch.load(args.init, map_location=device) if args.init and resume is None else None
    for earlier in (resume, init):
        if earlier is not None:
            # the architecture always comes from the checkpoint being continued
            config = dict(earlier.get("config", {}))
            if "level" in config:
                sys.exit("this checkpoint is from the Conv1d architecture of the first pack (config has 'level'); "
                         "start a new --ckpt-dir or remove --init")
    grown = []
    if args.grow and init is not None:
        grown = [int(d) for d in args.grow.split(",")]
        config["refine_dilations"] = tuple(config.get("refine_dilations", ())) + tuple(grown)
    # dropout has no weights: it is this run's choice, whatever the checkpoint being continued used
    config = {k: v for k, v in config.items() if k != "dropout"}
    if args.dropout > 0:
        config["dropout"] = args.dropout
    model = Separator(**config).to(device)
    ema = Separator(**config).to(device)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad_(False)
    if args.freeze_base:
        for name, p in model.named_parameters():
            p.requires_grad_(name.startswith("refine."))
        for module in list(model.encoder) + list(model.decoder):
            module.dropout.p = 0.0
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=args.weight_decay)
    step, total, history = 0, args.steps, []
    if grown:
        # the published (EMA) weights of --init, plus new blocks whose output projection is zero: the residual
        # connection passes the decoder's state through them unchanged until training moves the projection
        ema_init = os.path.join(os.path.dirname(args.init), "final.pt")
        base = torch.load(ema_init, map_location=device)["ema"] if os.path.exists(ema_init) else init.get("model", init.get("ema"))
        missing, unexpected = model.load_state_dict(base, strict=False)
        first_new = len(config["refine_dilations"]) - len(grown)
        if unexpected or any(not k.startswith("refine.") or int(k.split(".")[1]) < first_new for k in missing):
            sys.exit(f"--grow: {args.init} does not match the network it should grow (missing {missing}, unexpected {unexpected})")
        with torch.no_grad():
            for block in model.refine[first_new:]:
                block.project.weight.zero_()
                block.project.bias.zero_()
        ema.load_state_dict(model.state_dict())
        print(f"grew {args.init} by refinement blocks at dilations {grown}", flush=True)
    elif init is not None:
        # warm start from weights-only snapshots (model.pt / final.pt of an earlier run): fresh optimiser, step 0
        model.load_state_dict(init.get("model", init.get("ema")))
        ema_init = os.path.join(os.path.dirname(args.init), "final.pt")
        ema.load_state_dict(torch.load(ema_init, map_location=device)["ema"] if os.path.exists(ema_init) else model.state_dict())
        print(f"initialised from {args.init}", flush=True)
    if resume is not None:
        state = resume
        model.load_state_dict(state["model"])
        ema.load_state_dict(state["ema"])
        opt.load_state_dict(state["opt"])
        step, history = state["step"], state.get("history", [])
        total = args.steps or state["total"]
        print(f"resumed at step {step} of {total}", flush=True)

    def save(final=False):
        state = {"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "step": step, "total": total,
                 "config": config, "history": history, "args": vars(args)}
        torch.save(state, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)  # atomic: an interruption never leaves a broken checkpoint
        # small weights-only snapshots (the full checkpoint with optimiser state is ~40 MB)
        small = {"ema": ema.state_dict(), "config": config, "step": step, "total": total, "history": history}
        torch.save(small, os.path.join(args.ckpt_dir, "ema.pt"))
        if final:
            torch.save(small, os.path.join(args.ckpt_dir, "final.pt"))
            torch.save({"model": model.state_dict(), "config": config, "step": step}, os.path.join(args.ckpt_dir, "model.pt"))

    print(f"device {device}, {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters, "
          f"{len(train_lib.names)} classes, train audio {len(train_lib.audio) / 16000 / 60:.1f} min", flush=True)
    started = time.time()
    window = []
    calibrate_at = step + 60
    while True:
        if total and step >= total:
            break
        if not total and step == calibrate_at:
            rate = 40 / (time.time() - calib_start)
            total = int(step + rate * (args.budget_seconds - (time.time() - started)))
            print(f"{rate:.1f} steps/s -> total {total} steps", flush=True)
        if step == calibrate_at - 40:
            calib_start = time.time()
        rng = np.random.default_rng([args.seed, step])
        # curriculum: absent prompts only after the first --absent-after of the run, so masks learn to open first
        absent_p = args.absent if step >= args.absent_after * (total or 100000) else 0.0
        long_step = args.long_every > 0 and step % args.long_every == args.long_every - 1
        seconds = args.long_seconds if long_step else args.seconds
        batch = (args.long_batch or max(1, round(args.batch * args.seconds / args.long_seconds))) if long_step else args.batch
        # the kind of step comes from its own generator, so that runs without --field see the batches they always did
        if args.field > 0 and np.random.default_rng([args.seed, step, 1]).random() < args.field:
            batch = args.field_batch
            mix, target, prompt, absent, _ = make_field_batch(train_lib, rng, batch, seconds=args.field_seconds,
                                                              absent=args.field_absent if absent_p > 0 else 0.0,
                                                              bed_prompt=args.bed_prompt, reverb=args.reverb, peaks=args.peaks)
        else:
            mix, target, prompt, absent, _ = make_batch(train_lib, rng, batch, seconds=seconds, absent=absent_p,
                                                        reverb=args.reverb, peaks=args.peaks, pair=args.pair)
        if args.pad_tail > 0:  # zero-padded tails, as in the last window of a recording
            cut = np.where(rng.random(batch) < args.pad_tail, rng.uniform(0.6, 0.95, batch), 1.0)
            keep = (torch.arange(mix.shape[1], device=device)[None, :] < torch.from_numpy(cut * mix.shape[1]).to(device)[:, None]).float()
            mix, target = mix * keep, target * keep
        choice = [captions.train[c][rng.integers(len(captions.train[c]))] for c in prompt]
        emb = captions.vectors[choice].to(device)
        if args.caption_mix > 0 or args.caption_noise > 0:
            emb = captions.augment(emb, prompt, rng, args.caption_mix, args.caption_noise)
        horizon = max(total, step + 1) if total else 100000
        lr = args.lr * min(1.0, (step + 1) / 300) * (0.5 * (1 + math.cos(math.pi * min(1.0, step / horizon))) * 0.95 + 0.05)
        for g in opt.param_groups:
            g["lr"] = lr
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=device == "cuda"):
            spec = torch.stft(mix, 512, 128, window=torch.hann_window(512, device=device), center=True, pad_mode="reflect",
                              return_complex=True)
            h = model.encode(spec.abs())
            mask = model.decode(h, emb, spec.shape[2])
        est = torch.istft(mask.float() * spec, 512, 128, window=torch.hann_window(512, device=device), center=True, length=mix.shape[1])
        loss, snr, leak = loss_fn(est, target, mix, torch.from_numpy(absent).to(device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        with torch.no_grad():
            decay = min(0.999, (1 + step) / (10 + step))
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        step += 1
        window.append((loss.item(), snr.item(), leak.item()))
        if step % 50 == 0:
            m = np.mean(window, axis=0)
            window = []
            print(f"step {step}/{total} loss {m[0]:.2f} snr {m[1]:.2f} dB absent {m[2]:.1f} dB lr {lr:.2e} "
                  f"{time.time() - started:.0f}s", flush=True)
        if step % args.eval_every == 0 or (total and step == total):
            metrics = {**evaluate(ema, test_lib, captions, device), **evaluate_field(ema, test_lib, captions, device)}
            history.append({"step": step, **metrics})
            print(f"eval step {step}: SI-SDRi seen {metrics['seen']:.2f} dB, held-out captions {metrics['heldout']:.2f} dB, "
                  f"absent {metrics['absent']:.1f} dB; field {metrics['field']:.2f} dB, field absent {metrics['field_absent']:.1f} dB",
                  flush=True)
            if args.keep_evals:
                # every evaluated EMA is kept, so that the checkpoint rule can pick a step after the run
                torch.save({"ema": ema.state_dict(), "config": config, "step": step, **metrics},
                           os.path.join(args.ckpt_dir, f"ema_{step:06d}.pt"))
        if step % args.ckpt_every == 0:
            save()
        if args.budget_seconds and time.time() - started > args.budget_seconds + 30:
            print("budget exhausted", flush=True)
            break
    metrics = {**evaluate(ema, test_lib, captions, device), **evaluate_field(ema, test_lib, captions, device)}
    history.append({"step": step, **metrics})
    print(f"final eval step {step}: SI-SDRi seen {metrics['seen']:.2f} dB, held-out captions {metrics['heldout']:.2f} dB, "
          f"absent {metrics['absent']:.1f} dB; field {metrics['field']:.2f} dB, field absent {metrics['field_absent']:.1f} dB", flush=True)
    save(final=True)
    print(f"done: {step} steps in {time.time() - started:.0f}s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
