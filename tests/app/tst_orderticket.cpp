// The ticket check: each bad field gets its own message under its own key, good tickets become the
// order the desk sends (numbers as numbers, symbol upper-cased, no limit price on market orders).
#include "orderticket.h"

#include <QTest>

#include <cmath>

using tf::checkTicket;

namespace {
QVariantMap ticket(const QVariant &symbol, const QVariant &side, const QVariant &qty, const QVariant &type = {},
                   const QVariant &limit = {})
{
    QVariantMap map{{QStringLiteral("symbol"), symbol}, {QStringLiteral("side"), side}, {QStringLiteral("qty"), qty}};
    if (type.isValid())
        map.insert(QStringLiteral("type"), type);
    if (limit.isValid())
        map.insert(QStringLiteral("limit_price"), limit);
    return map;
}
} // namespace

class TestOrderTicket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validMarketOrder()
    {
        const auto check = checkTicket(ticket(QStringLiteral(" aapl "), QStringLiteral("buy"), 10,
                                              QStringLiteral("market"), qQNaN()));
        QVERIFY2(check.isValid(), qPrintable(check.summary()));
        QCOMPARE(check.order.value(QStringLiteral("symbol")).toString(), QStringLiteral("AAPL"));
        QCOMPARE(check.order.value(QStringLiteral("side")).toString(), QStringLiteral("buy"));
        QCOMPARE(check.order.value(QStringLiteral("qty")).toDouble(), 10.0);
        QCOMPARE(check.order.value(QStringLiteral("type")).toString(), QStringLiteral("market"));
        QVERIFY(!check.order.contains(QStringLiteral("limit_price")));
    }

    void validLimitOrderFromStrings()
    {
        const auto check = checkTicket(ticket(QStringLiteral("MSFT"), QStringLiteral("SELL"), QStringLiteral("2.5"),
                                              QStringLiteral("limit"), QStringLiteral("310.25")));
        QVERIFY2(check.isValid(), qPrintable(check.summary()));
        QCOMPARE(check.order.value(QStringLiteral("side")).toString(), QStringLiteral("sell"));
        QCOMPARE(check.order.value(QStringLiteral("qty")).toDouble(), 2.5);
        QCOMPARE(check.order.value(QStringLiteral("limit_price")).toDouble(), 310.25);
    }

    void typeDefaultsToMarket()
    {
        const auto check = checkTicket(ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1));
        QVERIFY(check.isValid());
        QCOMPARE(check.order.value(QStringLiteral("type")).toString(), QStringLiteral("market"));
    }

    void badFields_data()
    {
        QTest::addColumn<QVariantMap>("input");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("no symbol") << ticket(QString(), QStringLiteral("buy"), 1) << QStringLiteral("symbol")
                                   << QStringLiteral("Enter a symbol");
        QTest::newRow("symbol with spaces") << ticket(QStringLiteral("AA PL"), QStringLiteral("buy"), 1)
                                            << QStringLiteral("symbol") << QStringLiteral("A symbol is up to 16 letters, digits, '.' or '-'");
        QTest::newRow("bad side") << ticket(QStringLiteral("AAPL"), QStringLiteral("hold"), 1) << QStringLiteral("side")
                                  << QStringLiteral("Choose buy or sell");
        QTest::newRow("no qty") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), qQNaN()) << QStringLiteral("qty")
                                << QStringLiteral("Enter a quantity");
        QTest::newRow("qty text") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), QStringLiteral("ten"))
                                  << QStringLiteral("qty") << QStringLiteral("Enter a quantity");
        QTest::newRow("zero qty") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 0) << QStringLiteral("qty")
                                  << QStringLiteral("Quantity must be greater than 0");
        QTest::newRow("negative qty") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), -5) << QStringLiteral("qty")
                                      << QStringLiteral("Quantity must be greater than 0");
        QTest::newRow("infinite qty") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), qInf())
                                      << QStringLiteral("qty") << QStringLiteral("Quantity must be greater than 0");
        QTest::newRow("huge qty") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1e12) << QStringLiteral("qty")
                                  << QStringLiteral("Quantity is too large");
        QTest::newRow("bad type") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1, QStringLiteral("stop"))
                                  << QStringLiteral("type") << QStringLiteral("Choose market or limit");
        QTest::newRow("limit without price") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1, QStringLiteral("limit"))
                                             << QStringLiteral("limit_price") << QStringLiteral("A limit order needs a limit price");
        QTest::newRow("limit NaN") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1, QStringLiteral("limit"), qQNaN())
                                   << QStringLiteral("limit_price") << QStringLiteral("A limit order needs a limit price");
        QTest::newRow("limit zero") << ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1, QStringLiteral("limit"), 0)
                                    << QStringLiteral("limit_price") << QStringLiteral("Limit price must be greater than 0");
    }

    void badFields()
    {
        QFETCH(QVariantMap, input);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const auto check = checkTicket(input);
        QVERIFY(!check.isValid());
        QCOMPARE(check.errors.value(field).toString(), message);
        QVERIFY(check.order.isEmpty()); // nothing to send
        QVERIFY(check.summary().contains(message));
    }

    void everyBadFieldReportedAtOnce()
    {
        const auto check = checkTicket(ticket(QString(), QStringLiteral("x"), -1, QStringLiteral("limit")));
        QCOMPARE(check.errors.size(), 4);
        QVERIFY(check.errors.contains(QStringLiteral("symbol")));
        QVERIFY(check.errors.contains(QStringLiteral("side")));
        QVERIFY(check.errors.contains(QStringLiteral("qty")));
        QVERIFY(check.errors.contains(QStringLiteral("limit_price")));
    }

    void olderTicketsLimitPriceKey()
    {
        QVariantMap old = ticket(QStringLiteral("AAPL"), QStringLiteral("buy"), 1, QStringLiteral("limit"));
        old.insert(QStringLiteral("limitPrice"), -3);
        const auto check = checkTicket(old);
        QCOMPARE(check.errors.value(QStringLiteral("limitPrice")).toString(), QStringLiteral("Limit price must be greater than 0"));
        old.insert(QStringLiteral("limitPrice"), 12.5);
        const auto fixed = checkTicket(old);
        QVERIFY(fixed.isValid());
        QCOMPARE(fixed.order.value(QStringLiteral("limit_price")).toDouble(), 12.5);
    }

    void knownSymbolsChecked()
    {
        const QSet<QString> known{QStringLiteral("AAPL"), QStringLiteral("MSFT")};
        QVERIFY(checkTicket(ticket(QStringLiteral("msft"), QStringLiteral("buy"), 1), known).isValid());
        const auto unknown = checkTicket(ticket(QStringLiteral("ZZZZ"), QStringLiteral("buy"), 1), known);
        QCOMPARE(unknown.errors.value(QStringLiteral("symbol")).toString(), QStringLiteral("Unknown symbol ZZZZ"));
        // Nothing loaded yet: any well-formed symbol may be sent (the server has the last word).
        QVERIFY(checkTicket(ticket(QStringLiteral("ZZZZ"), QStringLiteral("buy"), 1), {}).isValid());
    }
};

QTEST_GUILESS_MAIN(TestOrderTicket)
#include "tst_orderticket.moc"
