# The loop of tiny_steps_keras.py as a plain PyTorch loop doing the same per-epoch work: a reshuffle,
# 20 steps of batch 500 with running means of the loss, binary_crossentropy and accuracy, validation of
# 1,000 rows in batches of 500 (loss, binary_crossentropy, accuracy), an EarlyStopping check on
# val_binary_crossentropy (patience 200) and a history of every value. Prints ms per epoch of a timed
# run after a 2-epoch warm-up. Usage: tiny_steps_torch.py [EPOCHS=200] [MODEL=tiny]
import sys, time
import torch
from tiny_steps_data import HIDDEN, higgs_shaped

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
name = sys.argv[2] if len(sys.argv) > 2 else "tiny"
(x, y), (vx, vy) = higgs_shaped()
x, y, vx, vy = map(torch.from_numpy, (x, y, vx, vy))
torch.manual_seed(0)
modules, width = [], 28
for units in HIDDEN[name]:
    modules += [torch.nn.Linear(width, units), torch.nn.ELU()]
    width = units
model = torch.nn.Sequential(*modules, torch.nn.Linear(width, 1))
optimizer = torch.optim.Adam(model.parameters(), 1e-3)
loss_function = torch.nn.BCEWithLogitsLoss()
history = {key: [] for key in ["loss", "binary_crossentropy", "accuracy",
                               "val_loss", "val_binary_crossentropy", "val_accuracy"]}
best, wait = float("inf"), 0


def run(count):
    global best, wait
    for _ in range(count):
        model.train()
        order = torch.randperm(len(x))
        total = bce = correct = 0.0
        for start in range(0, len(x), 500):
            index = order[start:start + 500]
            logits = model(x[index])
            loss = loss_function(logits, y[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                total += loss.item() * len(index)
                bce += loss_function(logits, y[index]).item() * len(index)
                correct += ((logits > 0.5).float() == y[index]).sum().item()
        for key, value in zip(["loss", "binary_crossentropy", "accuracy"], [total, bce, correct]):
            history[key].append(value / len(x))
        model.eval()
        with torch.no_grad():
            total = bce = correct = 0.0
            for start in range(0, len(vx), 500):
                logits = model(vx[start:start + 500])
                target = vy[start:start + 500]
                total += loss_function(logits, target).item() * len(target)
                bce += loss_function(logits, target).item() * len(target)
                correct += ((logits > 0.5).float() == target).sum().item()
        for key, value in zip(["val_loss", "val_binary_crossentropy", "val_accuracy"], [total, bce, correct]):
            history[key].append(value / len(vx))
        if history["val_binary_crossentropy"][-1] < best:
            best, wait = history["val_binary_crossentropy"][-1], 0
        else:
            wait += 1
            if wait >= 200:
                break


run(2)
start = time.perf_counter()
run(epochs)
seconds = time.perf_counter() - start
print(f"torch {name} loop: {seconds / epochs * 1000:.3f} ms/epoch (threads {torch.get_num_threads()})")
