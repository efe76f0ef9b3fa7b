/* eigen.c — one eigenvector of a symmetric matrix: Householder reduction to
 * a tridiagonal matrix (lower triangle only), the k-th largest eigenvalue by
 * bisection with Sturm counts, its vector by inverse iteration on the
 * tridiagonal matrix (Gaussian elimination with partial pivoting), then
 * carried back through the reflectors. O(4/3 n³) for the reduction, O(n²)
 * for the rest: the textbook method (Golub and Van Loan, Matrix
 * Computations, 8.3 and 8.4; LAPACK's dsytd2, dstebz and dstein do the
 * same). Used on the activities × activities matrix of economic complexity,
 * where n is at most a few thousand. */
#include <float.h>
#include <math.h>

#include "complexity/complexity.h"

/* Reduces the symmetric a (lower triangle read and written) to T = Qᵀ a Q
 * with diagonal d and sub-diagonal e[1..n-1] (e[0] unused); the reflector
 * of step k is kept in row k of a (a[k][k+1] = 1 implied) with tau[k]. */
static void tridiagonalise(double *a, size_t n, double *d, double *e, double *tau, double *p)
{
#define A(i, j) a[(size_t)(i)*n + (j)]
    for (size_t k = 0; k + 2 < n; k++) {
        /* x = a[k+1.., k] (the column below the diagonal, read in the lower
         * triangle), kept in row k as v. */
        double *v = &A(k, 0);
        size_t m = n - k - 1;
        double alpha = A(k + 1, k), sigma = 0;
        for (size_t i = k + 2; i < n; i++)
            sigma += A(i, k) * A(i, k);
        if (sigma == 0) {
            tau[k] = 0;
            e[k + 1] = alpha;
            continue;
        }
        double norm = sqrt(alpha * alpha + sigma);
        double beta = alpha <= 0 ? norm : -norm;
        double v0 = alpha - beta;
        tau[k] = (beta - alpha) / beta;
        v[k + 1] = 1;
        for (size_t i = k + 2; i < n; i++)
            v[i] = A(i, k) / v0;
        e[k + 1] = beta;
        /* B = a[k+1.., k+1..] becomes H B H, H = I - tau v vᵀ:
         * p = tau B v, w = p - (tau/2)(pᵀv) v, B -= v wᵀ + w vᵀ. */
        double *pv = p + k + 1;
        const double *vv = v + k + 1;
        for (size_t i = 0; i < m; i++)
            pv[i] = 0;
        for (size_t i = 0; i < m; i++) {
            const double *bi = &A(k + 1 + i, k + 1);
            double s = 0, vi = vv[i];
            for (size_t j = 0; j < i; j++) {
                s += bi[j] * vv[j];
                pv[j] += bi[j] * vi;
            }
            pv[i] += s + bi[i] * vi;
        }
        double pv_v = 0;
        for (size_t i = 0; i < m; i++) {
            pv[i] *= tau[k];
            pv_v += pv[i] * vv[i];
        }
        double half = 0.5 * tau[k] * pv_v;
        for (size_t i = 0; i < m; i++)
            pv[i] -= half * vv[i]; /* now w */
        for (size_t i = 0; i < m; i++) {
            double *bi = &A(k + 1 + i, k + 1);
            double vi = vv[i], wi = pv[i];
            for (size_t j = 0; j <= i; j++)
                bi[j] -= vi * pv[j] + wi * vv[j];
        }
    }
    for (size_t k = 0; k < n; k++)
        d[k] = A(k, k);
    if (n >= 2) {
        e[n - 1] = A(n - 1, n - 2);
        tau[n - 2] = 0;
    }
    if (n >= 1) tau[n - 1] = 0;
#undef A
}

/* How many eigenvalues of T are smaller than x (Sturm sequence). */
static size_t sturm_count(const double *d, const double *e, size_t n, double x, double tiny)
{
    size_t count = 0;
    double q = d[0] - x;
    for (size_t i = 0;;) {
        if (fabs(q) < tiny) q = -tiny;
        if (q < 0) count++;
        if (++i == n) break;
        q = d[i] - x - e[i] * e[i] / q;
    }
    return count;
}

/* The j-th smallest eigenvalue of T (j from 0), by bisection. */
static double bisect(const double *d, const double *e, size_t n, size_t j)
{
    double lo = d[0], hi = d[0];
    for (size_t i = 0; i < n; i++) {
        double r = (i > 0 ? fabs(e[i]) : 0) + (i + 1 < n ? fabs(e[i + 1]) : 0);
        if (d[i] - r < lo) lo = d[i] - r;
        if (d[i] + r > hi) hi = d[i] + r;
    }
    double scale = fmax(fabs(lo), fabs(hi));
    double tiny = DBL_MIN / DBL_EPSILON + scale * DBL_EPSILON * DBL_EPSILON;
    lo -= scale * DBL_EPSILON * 4 + DBL_MIN;
    hi += scale * DBL_EPSILON * 4 + DBL_MIN;
    /* count(lo) <= j < count(hi) */
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        if (hi - lo <= 2 * DBL_EPSILON * fmax(fabs(lo), fabs(hi))) break;
        if (sturm_count(d, e, n, mid, tiny) > j)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}

/* x, a vector of T - lambda I's (near) null space: inverse iteration with
 * the matrix factored once (partial pivoting; a zero pivot becomes a tiny
 * one). Scratch: 5n doubles and n flags. */
static void inverse_iteration(const double *d, const double *e, size_t n, double lambda, double *x,
                              double *work, unsigned char *swapped)
{
    double *dl = work, *dd = work + n, *du = work + 2 * n, *du2 = work + 3 * n;
    double norm = 0;
    for (size_t i = 0; i < n; i++)
        norm = fmax(norm, fabs(d[i]) + (i > 0 ? fabs(e[i]) : 0) + (i + 1 < n ? fabs(e[i + 1]) : 0));
    double tiny = fmax(norm, DBL_MIN) * DBL_EPSILON;
    for (size_t i = 0; i < n; i++) {
        dd[i] = d[i] - lambda;
        dl[i] = du[i] = i + 1 < n ? e[i + 1] : 0;
        du2[i] = 0;
        swapped[i] = 0;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        if (fabs(dd[i]) >= fabs(dl[i])) {
            if (dd[i] == 0) dd[i] = tiny;
            double f = dl[i] / dd[i];
            dl[i] = f;
            dd[i + 1] -= f * du[i];
        } else {
            double f = dd[i] / dl[i];
            dd[i] = dl[i];
            dl[i] = f;
            double t = du[i];
            du[i] = dd[i + 1];
            dd[i + 1] = t - f * dd[i + 1];
            if (i + 2 < n) {
                du2[i] = du[i + 1];
                du[i + 1] = -f * du[i + 1];
            }
            swapped[i] = 1;
        }
    }
    if (dd[n - 1] == 0) dd[n - 1] = tiny;
    /* A start with a part along every eigenvector, whatever T is. */
    for (size_t i = 0; i < n; i++)
        x[i] = 1.0 + 0.5 * sin(1.0 + (double)i * 0.7548776662);
    for (int it = 0; it < 4; it++) {
        for (size_t i = 0; i + 1 < n; i++) {
            if (swapped[i]) {
                double t = x[i];
                x[i] = x[i + 1];
                x[i + 1] = t;
            }
            x[i + 1] -= dl[i] * x[i];
        }
        for (size_t i = n; i-- > 0;) {
            double s = x[i];
            if (i + 1 < n) s -= du[i] * x[i + 1];
            if (i + 2 < n) s -= du2[i] * x[i + 2];
            x[i] = s / dd[i];
        }
        double s = 0, big = 0;
        for (size_t i = 0; i < n; i++)
            big = fmax(big, fabs(x[i]));
        if (big == 0 || !isfinite(big)) big = 1;
        for (size_t i = 0; i < n; i++) {
            x[i] /= big;
            s += x[i] * x[i];
        }
        s = sqrt(s);
        for (size_t i = 0; i < n; i++)
            x[i] /= s;
    }
}

int ml_sym_eigvec(double *a, size_t n, size_t k, double *vec, double *value)
{
    assert(k < n);
    if (n == 1) {
        vec[0] = 1;
        *value = a[0];
        return 0;
    }
    double *work = malloc(9 * n * sizeof *work);
    unsigned char *swapped = malloc(n);
    if (!work || !swapped) {
        free(work);
        free(swapped);
        return -1;
    }
    double *d = work, *e = work + n, *tau = work + 2 * n, *p = work + 3 * n,
           *scratch = work + 4 * n;
    tridiagonalise(a, n, d, e, tau, p);
    double lambda = bisect(d, e, n, n - 1 - k);
    inverse_iteration(d, e, n, lambda, vec, scratch, swapped);
    /* vec = H_0 H_1 ... H_{n-3} y: the last reflector first. */
    for (size_t kk = n - 2; kk-- > 0;) {
        if (tau[kk] == 0) continue;
        const double *v = &a[kk * n];
        double s = 0;
        for (size_t i = kk + 1; i < n; i++)
            s += v[i] * vec[i];
        s *= tau[kk];
        for (size_t i = kk + 1; i < n; i++)
            vec[i] -= s * v[i];
    }
    *value = lambda;
    free(work);
    free(swapped);
    return 0;
}
