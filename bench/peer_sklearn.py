"""scikit-learn peer for workload W: MLPClassifier on float32, same architecture, optimizer and batch size."""
import sys
import time
import warnings
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from fashion_mnist import load

epochs = int(sys.argv[1])
warnings.simplefilter("ignore", ConvergenceWarning)
train_x, train_y = load("train")
test_x, test_y = load("t10k")
model = MLPClassifier(hidden_layer_sizes=(128,), activation="relu", solver="adam", alpha=0.0, batch_size=200,
                      learning_rate_init=1e-3, max_iter=epochs, shuffle=True, random_state=1, tol=0.0,
                      n_iter_no_change=epochs + 1)
start = time.perf_counter()
model.fit(train_x, train_y)
per_epoch = (time.perf_counter() - start) / model.n_iter_
accuracy = model.score(test_x, test_y)
print(f"RESULT system=scikit-learn threads=blas s_per_epoch={per_epoch:.4f} first_epoch=nan "
      f"samples_per_s={len(train_y) / per_epoch:.0f} test_accuracy={accuracy:.4f}")
