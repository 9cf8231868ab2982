#pragma once

#include <QObject>
#include <QString>

class QSettings;

namespace tf {

// The app's saved preferences, as the Settings page edits them: the server (URL, anon key,
// e-mail, demo), the change feed, and whether orders need a confirmation. Every write goes to
// QSettings at once (the keys are tf::SettingsKeys, shared with parseLaunchOptions). The password
// and the tokens are never here: the session lives in the keychain (tf::TokenStore).
class SettingsStore : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString anonKey READ anonKey WRITE setAnonKey NOTIFY anonKeyChanged)
    Q_PROPERTY(QString email READ email WRITE setEmail NOTIFY emailChanged)
    Q_PROPERTY(bool demo READ demo WRITE setDemo NOTIFY demoChanged)
    Q_PROPERTY(QString feedMode READ feedMode WRITE setFeedMode NOTIFY feedModeChanged)
    Q_PROPERTY(bool confirmOrders READ confirmOrders WRITE setConfirmOrders NOTIFY confirmOrdersChanged)

public:
    // `settings` is not owned and must outlive the store; null = the application's QSettings.
    explicit SettingsStore(QSettings *settings = nullptr, QObject *parent = nullptr);
    ~SettingsStore() override;

    QString serverUrl() const;
    QString anonKey() const;
    QString email() const;
    bool demo() const;
    QString feedMode() const; // "postgres_changes" (default) or "broadcast"
    bool confirmOrders() const; // default true

    void setServerUrl(const QString &url);
    void setAnonKey(const QString &key);
    void setEmail(const QString &email);
    void setDemo(bool demo);
    // Anything but the two known modes is refused (logged, nothing stored).
    void setFeedMode(const QString &mode);
    void setConfirmOrders(bool confirm);

Q_SIGNALS:
    void serverUrlChanged();
    void anonKeyChanged();
    void emailChanged();
    void demoChanged();
    void feedModeChanged();
    void confirmOrdersChanged();

private:
    void write(const char *key, const QVariant &value);

    QSettings *m_settings;
    bool m_ownsSettings = false;
};

} // namespace tf
