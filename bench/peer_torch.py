"""PyTorch peer for workload W: 784-128-10 ReLU, softmax cross-entropy, Adam 1e-3, batch 200, 2 threads."""
import sys
import time
import numpy as np
import torch
from fashion_mnist import load

epochs, threads = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.manual_seed(1)
train_x, train_y = load("train")
test_x, test_y = load("t10k")
x, y = torch.from_numpy(train_x), torch.from_numpy(train_y)
model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
times = []
for epoch in range(epochs):
    start = time.perf_counter()
    order = torch.randperm(len(y))
    for i in range(0, len(y), 200):
        index = order[i:i + 200]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[index]), y[index])
        loss.backward()
        optimizer.step()
    times.append(time.perf_counter() - start)
with torch.no_grad():
    tx = torch.from_numpy(test_x)
    accuracy = (model(tx).argmax(1).numpy() == test_y).mean()
    row = tx[:1]
    for _ in range(1000):
        model(row)
    latencies = []
    for i in range(5000):
        r = tx[i % len(tx)].unsqueeze(0)
        t = time.perf_counter()
        model(r)
        latencies.append(time.perf_counter() - t)

    batch_times = []
    for _ in range(5):
        t = time.perf_counter()
        model(tx)
        batch_times.append(time.perf_counter() - t)
steady = sorted(times[1:] or times)[len(times[1:] or times) // 2]
print(f"RESULT system=pytorch threads={threads} s_per_epoch={steady:.4f} first_epoch={times[0]:.4f} "
      f"samples_per_s={len(y) / steady:.0f} test_accuracy={accuracy:.4f}")
print(f"SCORING system=pytorch single_row_median_us={np.median(latencies) * 1e6:.2f} "
      f"single_row_p99_us={np.percentile(latencies, 99) * 1e6:.2f} batch_rows_per_s={len(tx) / min(batch_times):.0f}")
