#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>

namespace tf {

class OrderQueue;

// Whether the order queue can take orders right now, and why not in words for the ticket:
// opens the queue (a file moved aside is reported as a problem for the UI), follows its
// `writable` state, and while the queue refuses, tries again every `recheckInterval` (reopening a
// queue that could not be opened, a probe write for one that could not be written) so the
// ticket comes back by itself once the disk has room or the lock is gone. An order is never
// taken without being saved: this only decides what the ticket shows.
class QueueAvailability : public QObject
{
    Q_OBJECT

public:
    QueueAvailability(OrderQueue *queue, std::chrono::milliseconds recheckInterval, QObject *parent = nullptr);

    // Opens the queue; false when it cannot take orders (the reason is in reason()).
    bool open();

    bool isAvailable() const;
    // Why orders are refused ("Order entry is disabled: …"); empty while available.
    QString reason() const;
    // The last problem worth a banner (file moved aside, cannot be opened); empty when none.
    QString lastProblem() const { return m_lastProblem; }

public Q_SLOTS:
    // Tries now what the timer would try (e.g. before refusing an order).
    void recheck();

Q_SIGNALS:
    void availabilityChanged();
    void problem(const QString &message);

private:
    void followQueue();
    void report(const QString &message);

    OrderQueue *m_queue;
    QTimer m_recheck;
    QString m_lastProblem;
};

} // namespace tf
