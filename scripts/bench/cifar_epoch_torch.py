# One full epoch of the CIFAR-10 CNN workload in PyTorch, the twin of cifar_epoch_keras.py and of
# `Benchmarks cifar-epoch`: Conv64-Conv64-MaxPool-Conv128-Flatten-Dense256-Dense10 (3×3 'same' convolutions,
# ReLU), Adam(1e-3), batch 128, 50,000 shuffled training images, then validation on 10,000 (loss and
# accuracy, as Keras's fit(validation_data=...) does), training loss/accuracy kept per batch as Keras does.
# Real CIFAR-10 when its archive is present (common.cifar10_archive), seeded uniform pixels otherwise.
# NCHW, PyTorch's native layout; the data is built in that layout (no second copy).
# Prints epoch seconds (training + validation, after a warm-up on 208 + 144 images), training samples
# per second over that epoch, and the process's peak RSS. Usage: cifar_epoch_torch.py [TRAIN=50000] [VAL=10000] [STEPS]
# STEPS keeps the whole set in memory but trains and validates on only that many batches (peak RSS of
# the epoch's set-up in a short run).
import sys, time
import torch
from common import cifar10_epoch_data, current_rss_mb, peak_rss_mb

train_count = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
val_count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
steps = int(sys.argv[3]) if len(sys.argv) > 3 else None
(x, y), (vx, vy), source = cifar10_epoch_data(train_count, val_count, channels_first=True)
x, y, vx, vy = map(torch.from_numpy, (x, y, vx, vy))
data_rss = current_rss_mb()
torch.manual_seed(0)
nn = torch.nn
model = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.Flatten(),
                      nn.Linear(16 * 16 * 128, 256), nn.ReLU(), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), 1e-3)
loss_function = nn.CrossEntropyLoss()


def epoch(x, y, vx, vy, batch=128):
    model.train()
    order = torch.randperm(len(x))[:None if steps is None else steps * batch]
    loss_sum, correct = 0.0, 0
    for start in range(0, len(order), batch):
        rows = order[start:start + batch]
        xb, yb = x[rows], y[rows]
        out = model(xb)
        loss = loss_function(out, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(rows)
        correct += (out.argmax(1) == yb).sum().item()
    model.eval()
    val_loss, val_correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(vx), batch):
            out = model(vx[start:start + batch])
            val_loss += loss_function(out, vy[start:start + batch]).item() * len(out)
            val_correct += (out.argmax(1) == vy[start:start + batch]).sum().item()
    return loss_sum / len(order), correct / len(order), val_loss / len(vx), val_correct / len(vx)


epoch(x[:208], y[:208], vx[:144], vy[:144])  # warm-up
start = time.time()
validated = len(vx) if steps is None else min(len(vx), steps * 128)
loss, accuracy, val_loss, val_accuracy = epoch(x, y, vx[:validated], vy[:validated])
seconds = time.time() - start
trained = len(x) if steps is None else min(len(x), steps * 128)
print(f"data: {source}; {len(x)} train + {len(vx)} validation images; torch {torch.__version__}, {torch.get_num_threads()} threads"
      + ("" if steps is None else f"; only {steps} training and validation batches (STEPS)"))
print(f"loss {loss:.4f} accuracy {accuracy:.4f} val_loss {val_loss:.4f} val_accuracy {val_accuracy:.4f}")
print(f"cifar-epoch pytorch epoch_seconds {seconds:.2f} training_samples_per_second {trained / seconds:.1f} "
      f"peak_rss_mb {peak_rss_mb():.0f} rss_after_data_mb {data_rss:.0f}")
